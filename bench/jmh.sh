#!/usr/bin/env bash
# Herald's JMH micro-benchmarks (herald-bench/src/main/java/io/herald/bench/jmh) with short defaults:
#   bench/jmh.sh                      every benchmark, 1 fork, 2 x 1 s warm-up, 3 x 1 s measurement
#   bench/jmh.sh PartitionLogAppend   a regex of benchmarks; any further JMH options (-f, -wi, -i, -p codec=lz4, ...)
#                                     override the defaults. See docs/benchmarks.md.
set -euo pipefail
HERALD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export HERALD_HOME
# shellcheck source=../bin/herald-java.sh
. "$HERALD_HOME/bin/herald-java.sh"
herald_maven_env
if [ "${BENCH_SKIP_BUILD:-0}" != "1" ]; then
  echo "jmh: building herald-bench..." >&2
  mvn -q -B -f "$HERALD_HOME/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl herald-bench -am >&2
fi
JDK_OPTS=""
if [ "$(herald_java_major "$HERALD_JAVA")" -ge 24 ]; then
  JDK_OPTS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi
# Short defaults; an option given on the command line replaces its default (JMH refuses a flag twice).
DEFAULTS=()
for pair in "-f 1" "-wi 2" "-w 1s" "-i 3" "-r 1s"; do
  flag="${pair%% *}"
  if ! printf '%s\n' "$@" | grep -qx -- "$flag"; then
    # shellcheck disable=SC2206
    DEFAULTS+=($pair)
  fi
done
# shellcheck disable=SC2086
exec "$HERALD_JAVA" $JDK_OPTS -cp "$HERALD_HOME/herald-bench/target/classes:$HERALD_HOME/herald-bench/target/bench-lib/*" \
  org.openjdk.jmh.Main "${DEFAULTS[@]}" -jvmArgsAppend "-Xmx1g $JDK_OPTS" "$@"
