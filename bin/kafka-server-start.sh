#!/usr/bin/env bash
# Starts a Herald node: kafka-server-start.sh [-daemon] server.properties [--override property=value]*
if [ $# -lt 1 ]; then
  echo "USAGE: $0 [-daemon] server.properties [--override property=value]*"
  exit 1
fi
HERALD_BIN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export HERALD_DEFAULT_HEAP_OPTS="-Xmx1G"
export HERALD_CDS_ARCHIVE="herald-server"
# Remote JMX as Kafka's scripts open it: JMX_PORT set opens the JVM's connector on that port (RMI on the same port),
# without authentication or TLS unless KAFKA_JMX_OPTS says otherwise. The MBeans carry Kafka's names.
if [ -n "${JMX_PORT:-}" ]; then
  HERALD_JMX_OPTS="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false}"
  HERALD_JMX_OPTS="$HERALD_JMX_OPTS -Dcom.sun.management.jmxremote.port=$JMX_PORT"
  case "$HERALD_JMX_OPTS" in
    *-Dcom.sun.management.jmxremote.rmi.port=*) ;;
    *) HERALD_JMX_OPTS="$HERALD_JMX_OPTS -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT" ;;
  esac
  export HERALD_JMX_OPTS
fi
export HERALD_DEFAULT_PERF_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Xshare:auto"

if [ "$1" = "-daemon" ]; then
  shift
  LOG_DIR="${LOG_DIR:-$HERALD_BIN/../logs}"
  mkdir -p "$LOG_DIR"
  nohup "$HERALD_BIN/herald-run-class.sh" io.herald.server.HeraldMain "$@" >"$LOG_DIR/herald-server.out" 2>&1 </dev/null &
  exit 0
fi
exec "$HERALD_BIN/herald-run-class.sh" io.herald.server.HeraldMain "$@"
