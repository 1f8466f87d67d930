#!/usr/bin/env bash
# Starts a Herald node: kafka-server-start.sh [-daemon] server.properties [--override property=value]*
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi
HERALD_BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export HERALD_DEFAULT_HEAP_OPTS="-Xmx1G"
export HERALD_CDS_ARCHIVE="herald-server"
export HERALD_DEFAULT_PERF_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Xshare:auto"

if [ "$1" = "-daemon" ]; then
  shift
  LOG_DIR="${LOG_DIR:-$HERALD_BIN/../logs}"
  mkdir -p "$LOG_DIR"
  nohup "$HERALD_BIN/herald-run-class.sh" io.herald.server.HeraldMain "$@" >"$LOG_DIR/herald-server.out" 2>&1 </dev/null &
  exit 0
fi
exec "$HERALD_BIN/herald-run-class.sh" io.herald.server.HeraldMain "$@"
