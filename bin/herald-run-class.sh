#!/usr/bin/env bash
# Runs a Herald class with the distribution's jars on the class path: finds a JDK 21+ and, when the distribution has not
# been built yet (or HERALD_REBUILD=1), builds it first with Maven. Honours Kafka's KAFKA_HEAP_OPTS, KAFKA_OPTS and
# KAFKA_JVM_PERFORMANCE_OPTS so existing habits carry over.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "USAGE: $0 CLASS [ARGS...]" >&2
  exit 1
fi

HERALD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HERALD_HOME
# shellcheck source=herald-java.sh
. "$HERALD_HOME/bin/herald-java.sh"

LIB="$HERALD_HOME/herald-dist/target/lib"
if [ "${HERALD_REBUILD:-0}" = "1" ] || [ ! -f "$LIB/.complete" ]; then
  herald_build
fi

JDK_OPTS=""
if [ "$(herald_java_major "$HERALD_JAVA")" -ge 24 ]; then
  # Netty and Ratis use sun.misc.Unsafe and native libraries; say so, so new JDKs don't warn on every start.
  JDK_OPTS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi

CLASS="$1"
shift
# Class-data sharing: the first run records the classes it loads into an archive, later runs map it and start in about
# half the time. The archive's name carries a fingerprint of the jars (names, sizes, times), so a rebuilt distribution
# never maps an archive made from other jars (that crashed JVMs at start when the JVM's own check missed a change), and
# archives of older builds are removed. HERALD_CDS=0 turns it off.
CDS_OPTS=""
CDS_DIR="$HERALD_HOME/herald-dist/target"
if [ "${HERALD_CDS:-1}" = "1" ] && [ -w "$CDS_DIR" ]; then
  CDS_NAME="${HERALD_CDS_ARCHIVE:-herald-tools}"
  CDS_PRINT=$(ls -l --time-style=+%s "$LIB" 2>/dev/null | cksum | cut -d' ' -f1)
  CDS_FILE="$CDS_DIR/$CDS_NAME-$CDS_PRINT.jsa"
  for old in "$CDS_DIR/$CDS_NAME".jsa "$CDS_DIR/$CDS_NAME"-*.jsa; do
    # Unlinking is safe for JVMs that still map an old archive.
    [ "$old" = "$CDS_FILE" ] || rm -f "$old" 2>/dev/null || true
  done
  CDS_OPTS="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$CDS_FILE -Xlog:cds=off -Xlog:cds+dynamic=off"
fi
HEAP_OPTS="${KAFKA_HEAP_OPTS:-${HERALD_DEFAULT_HEAP_OPTS:--Xmx256m}}"
PERF_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:-${HERALD_DEFAULT_PERF_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto}}"
# shellcheck disable=SC2086
exec "$HERALD_JAVA" $JDK_OPTS $CDS_OPTS $HEAP_OPTS $PERF_OPTS ${HERALD_JMX_OPTS:-} ${KAFKA_OPTS:-} ${HERALD_LOG_OPTS:-} -cp "$LIB/*" "$CLASS" "$@"
