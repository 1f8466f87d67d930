#!/usr/bin/env bash
# Runs a Kafka tool by its Kafka class name (org.apache.kafka.tools.X or kafka.tools.X) with Herald's implementation.
exec "$(dirname "$0")/herald-run-class.sh" io.herald.tools.KafkaRunClass "$@"
