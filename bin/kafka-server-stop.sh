#!/usr/bin/env bash
# Stops the Herald nodes running on this machine with SIGTERM (a clean, controlled shutdown), as Kafka's script does.
PIDS=$(pgrep -f 'io\.herald\.server\.HeraldMain' || true)
if [ -z "$PIDS" ]; then
  echo "No kafka server to stop"
  exit 1
fi
# shellcheck disable=SC2086
kill -s TERM $PIDS
