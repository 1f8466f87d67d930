#!/usr/bin/env bash
# How fast the web console's topics page is with many topics: one node, N single-partition topics (1000 unless told
# otherwise), then the page is fetched five times over HTTP and the times printed (herald-it's ConsoleScaleTest).
#   bench/console-topics.sh [TOPICS]
set -euo pipefail
HERALD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOPICS="${1:-1000}"
case "$TOPICS" in
  '' | *[!0-9]*) echo "USAGE: bench/console-topics.sh [TOPICS]" >&2; exit 1 ;;
esac
# shellcheck source=../bin/herald-java.sh
. "$HERALD_HOME/bin/herald-java.sh"
herald_maven_env
mvn -B -q -f "$HERALD_HOME/pom.xml" verify -pl herald-it -am \
  -Dspotless.check.skip=true -Dcheckstyle.skip=true \
  -Dtest='ConsoleScaleTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dherald.console.topics="$TOPICS" >&2
grep -h '^CONSOLE-TOPICS' "$HERALD_HOME/herald-it/target/surefire-reports/io.herald.it.ConsoleScaleTest-output.txt"
