#!/usr/bin/env bash
# Herald vs Apache Kafka 4.1.1 on this machine, one broker after the other, driven by Kafka's own perf tools.
#   bench/compare.sh [--quick] [--herald-only] [--record-size B] [--partitions N] [--compression C] [--runs N]
#                    [--records N] [--latency-messages N] [--output FILE]
# Builds Herald and the harness (herald-bench), fetches Kafka's broker and tools jars from Maven Central into
# bench/target/kafka-lib (bench/kafka-dist/pom.xml), then prints one table: medians per broker and Herald/Kafka.
# Progress goes to stderr, the report to stdout. See docs/benchmarks.md.
set -euo pipefail
HERALD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HERALD_HOME
# shellcheck source=../bin/herald-java.sh
. "$HERALD_HOME/bin/herald-java.sh"
herald_maven_env

if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  echo "bench: building Herald and herald-bench..." >&2
  mvn -q -B -f "$HERALD_HOME/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl herald-dist,herald-bench -am >&2
fi
# Kafka's broker and perf tools (the tools drive Herald too, so --herald-only needs them as well).
if [ ! -f "$HERALD_HOME/bench/target/kafka-lib/kafka_2.13-4.1.1.jar" ] || [ ! -f "$HERALD_HOME/bench/target/kafka-lib/kafka-tools-4.1.1.jar" ]; then
  echo "bench: fetching Apache Kafka 4.1.1 from Maven Central..." >&2
  mvn -q -B -f "$HERALD_HOME/bench/kafka-dist/pom.xml" package >&2
fi

JDK_OPTS=""
if [ "$(herald_java_major "$HERALD_JAVA")" -ge 24 ]; then
  JDK_OPTS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
# shellcheck disable=SC2086
exec "$HERALD_JAVA" $JDK_OPTS -Xmx256m -Dherald.home="$HERALD_HOME" \
  -cp "$HERALD_HOME/herald-bench/target/classes:$HERALD_HOME/herald-bench/target/bench-lib/*" \
  io.herald.bench.compare.CompareMain "$@"
