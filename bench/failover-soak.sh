#!/usr/bin/env bash
# The long run of issue 12's kill -9 check on real processes: a 3-node cluster (bin/kafka-server-start.sh per node),
# a topic of 3 partitions with replication factor 3 and min.insync.replicas=2, an idempotent acks=all producer
# writing numbered records while the leader of partition 0 is killed with kill -9 and restarted, CYCLES times; then a
# fresh consumer reads everything back and every acknowledged record must be there exactly once, in order, at the
# offset its acknowledgement gave (herald-it's ReplicatedFailoverTest and AckChecker).
#   bench/failover-soak.sh [CYCLES]        100 cycles unless told otherwise (the test suite runs 20)
# Prints each cycle's failover time (kill -9 -> first acknowledged write on the new leader), their min/median/max and
# the checker's report. A failing run keeps every node's log under the printed cluster directory.
set -euo pipefail
HERALD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CYCLES="${1:-100}"
case "$CYCLES" in
  '' | *[!0-9]*) echo "USAGE: bench/failover-soak.sh [CYCLES]" >&2; exit 1 ;;
esac
# shellcheck source=../bin/herald-java.sh
. "$HERALD_HOME/bin/herald-java.sh"
herald_maven_env

STATUS=0
mvn -B -q -f "$HERALD_HOME/pom.xml" verify -pl herald-it -am \
  -Dspotless.check.skip=true -Dcheckstyle.skip=true \
  -Dtest='ReplicatedFailoverTest#killNineOfTheLeaderCycleAfterCycleLosesNoAcknowledgedRecord' \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dherald.failover.cycles="$CYCLES" >&2 || STATUS=$?
OUTPUT="$HERALD_HOME/herald-it/target/surefire-reports/io.herald.it.ReplicatedFailoverTest-output.txt"
if [ -f "$OUTPUT" ]; then
  grep -E '^(ScriptedCluster:|cycle [0-9]+:|failover |ReplicatedFailoverTest:|  [0-9]+ )' "$OUTPUT" || true
fi
if [ "$STATUS" -ne 0 ]; then
  REPORT="$HERALD_HOME/herald-it/target/surefire-reports/io.herald.it.ReplicatedFailoverTest.txt"
  [ -f "$REPORT" ] && sed -n '5,$p' "$REPORT" | grep -v '^\s*at ' | head -n 15 >&2
  echo "failover soak FAILED ($CYCLES cycles); see $HERALD_HOME/herald-it/target/surefire-reports/" >&2
fi
exit "$STATUS"
