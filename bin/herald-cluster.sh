#!/usr/bin/env bash
# A local cluster in one command (bin/herald start --nodes N): N combined broker+controller nodes with a static quorum
# (controller.quorum.voters), each its own process.
#   node K: broker on BASE+2(K-1), controller on BASE+2(K-1)+1 (its Raft peer on that port + 10000), node.id K,
#           data in $DATA/node-K, its config in $DATA/node-K.properties, its log in $DATA/node-K.log
# BASE is 9092 unless --base-port says otherwise; DATA is ./data unless HERALD_DATA_DIR says otherwise. Directories are
# formatted with one shared cluster id on first start. Ctrl-C (or SIGTERM to this script) stops every node cleanly.
# A node that dies later is reported and the others keep running (restart it with bin/kafka-server-start.sh and its
# node-K.properties).
set -euo pipefail
HERALD_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  echo "USAGE: bin/herald start --nodes N [--base-port PORT] [--override property=value]*" >&2
  exit 1
}

NODES=""
BASE_PORT=9092
OVERRIDES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) [ $# -ge 2 ] || usage; NODES=$2; shift 2 ;;
    --base-port) [ $# -ge 2 ] || usage; BASE_PORT=$2; shift 2 ;;
    --override) [ $# -ge 2 ] || usage; OVERRIDES+=(--override "$2"); shift 2 ;;
    *) echo "Unexpected argument: $1" >&2; usage ;;
  esac
done
case "$NODES" in
  [1-9]) ;;
  *) echo "--nodes takes a number of nodes from 1 to 9, got: ${NODES:-nothing}" >&2; exit 1 ;;
esac
case "$BASE_PORT" in
  '' | *[!0-9]*) echo "--base-port takes a port number, got: $BASE_PORT" >&2; exit 1 ;;
esac
RAFT_OFFSET=10000
if [ $((BASE_PORT + 2 * NODES - 1 + RAFT_OFFSET)) -gt 65535 ] || [ "$BASE_PORT" -lt 1024 ]; then
  echo "--base-port $BASE_PORT leaves no room for $NODES nodes (ports up to base + $((2 * NODES - 1)) + $RAFT_OFFSET)" >&2
  exit 1
fi

DATA="${HERALD_DATA_DIR:-$HERALD_HOME/data}"
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
if [ -f "$DATA/meta.properties" ]; then
  echo "$DATA holds the data of a single node (bin/herald start); a cluster keeps its nodes in node-N directories" \
    "beside it. Set HERALD_DATA_DIR to another directory, or remove $DATA." >&2
  exit 1
fi

broker_port() { echo $((BASE_PORT + 2 * ($1 - 1))); }
controller_port() { echo $((BASE_PORT + 2 * ($1 - 1) + 1)); }
# Node K's HTTP port (/metrics): 8080 + K - 1 on the default ports, else the ports right after the last controller's.
http_port() {
  if [ "$BASE_PORT" = 9092 ]; then echo $((8080 + $1 - 1)); else echo $((BASE_PORT + 2 * NODES + $1 - 1)); fi
}

VOTERS=""
for ((k = 1; k <= NODES; k++)); do
  VOTERS="${VOTERS:+$VOTERS,}$k@localhost:$(controller_port "$k")"
done
INTERNAL_RF=$((NODES < 3 ? NODES : 3))
MIN_ISR=$((NODES < 2 ? 1 : 2))

# The shipped combined config with this node's identity, ports and directories, and internal topics replicated as far
# as the cluster allows.
write_config() {
  local k=$1 file=$2 bp cp
  bp=$(broker_port "$k")
  cp=$(controller_port "$k")
  sed -E '/^(node\.id|controller\.quorum\.(bootstrap\.servers|voters)|listeners|http\.listeners|advertised\.listeners|log\.dirs|offsets\.topic\.replication\.factor|transaction\.state\.log\.(replication\.factor|min\.isr)|share\.coordinator\.state\.topic\.(replication\.factor|min\.isr))=/d' \
    "$HERALD_HOME/config/server.properties" >"$file"
  cat >>"$file" <<EOF

############################# bin/herald start --nodes $NODES: node $k #############################
node.id=$k
controller.quorum.voters=$VOTERS
listeners=PLAINTEXT://:$bp,CONTROLLER://:$cp
advertised.listeners=PLAINTEXT://localhost:$bp,CONTROLLER://localhost:$cp
http.listeners=http://localhost:$(http_port "$k")
log.dirs=$DATA/node-$k
offsets.topic.replication.factor=$INTERNAL_RF
transaction.state.log.replication.factor=$INTERNAL_RF
transaction.state.log.min.isr=$MIN_ISR
share.coordinator.state.topic.replication.factor=$INTERNAL_RF
share.coordinator.state.topic.min.isr=$MIN_ISR
EOF
}

# One cluster id for every node: the one already on disk, else a new one.
CLUSTER_ID=""
for ((k = 1; k <= NODES; k++)); do
  if [ -f "$DATA/node-$k/meta.properties" ]; then
    CLUSTER_ID=$(sed -n 's/^cluster\.id=//p' "$DATA/node-$k/meta.properties" | tr -d '[:space:]')
    [ -n "$CLUSTER_ID" ] && break
  fi
done
for ((k = 1; k <= NODES; k++)); do
  write_config "$k" "$DATA/node-$k.properties"
done
FORMAT_PIDS=()
for ((k = 1; k <= NODES; k++)); do
  [ -f "$DATA/node-$k/meta.properties" ] && continue
  if [ -z "$CLUSTER_ID" ]; then
    CLUSTER_ID=$("$HERALD_HOME/bin/kafka-storage.sh" random-uuid)
  fi
  "$HERALD_HOME/bin/kafka-storage.sh" format -t "$CLUSTER_ID" -c "$DATA/node-$k.properties" >"$DATA/node-$k.log" 2>&1 &
  FORMAT_PIDS+=("$!:$k")
done
for entry in "${FORMAT_PIDS[@]+"${FORMAT_PIDS[@]}"}"; do
  if ! wait "${entry%%:*}"; then
    echo "Formatting node ${entry#*:} failed:" >&2
    cat "$DATA/node-${entry#*:}.log" >&2
    exit 1
  fi
done

PIDS=()
stop_all() {
  trap '' INT TERM
  echo "Stopping the cluster..."
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do
    wait "$pid" 2>/dev/null || true
  done
  echo "Stopped."
  exit 0
}
trap stop_all INT TERM

for ((k = 1; k <= NODES; k++)); do
  # Log lines are appended, so a restarted node's history stays in one file.
  "$HERALD_HOME/bin/kafka-server-start.sh" "$DATA/node-$k.properties" "${OVERRIDES[@]+"${OVERRIDES[@]}"}" \
    >>"$DATA/node-$k.log" 2>&1 </dev/null &
  PIDS+=("$!")
done

# Ready when every node has logged its start; a node that exits first stops the whole start.
BOOTSTRAP=""
for ((k = 1; k <= NODES; k++)); do
  BOOTSTRAP="${BOOTSTRAP:+$BOOTSTRAP,}localhost:$(broker_port "$k")"
done
declare -A READY=()
while [ "${#READY[@]}" -lt "$NODES" ]; do
  for ((k = 1; k <= NODES; k++)); do
    [ -n "${READY[$k]:-}" ] && continue
    if grep -q "Herald node $k (.*) started" "$DATA/node-$k.log" 2>/dev/null; then
      READY[$k]=1
      echo "node $k: broker localhost:$(broker_port "$k"), controller localhost:$(controller_port "$k"), data $DATA/node-$k, log $DATA/node-$k.log"
    elif ! kill -0 "${PIDS[k - 1]}" 2>/dev/null; then
      echo "node $k stopped while starting; the end of $DATA/node-$k.log:" >&2
      tail -n 20 "$DATA/node-$k.log" >&2
      stop_all
    fi
  done
  sleep 0.5 & wait $!
done
echo "Cluster $CLUSTER_ID of $NODES nodes is up: --bootstrap-server $BOOTSTRAP. Ctrl-C stops every node."

# Until every node has exited: report each exit as it happens.
declare -A GONE=()
while [ "${#GONE[@]}" -lt "$NODES" ]; do
  RUNNING=()
  for ((k = 1; k <= NODES; k++)); do
    [ -z "${GONE[$k]:-}" ] && RUNNING+=("${PIDS[k - 1]}")
  done
  EXITED=""
  STATUS=0
  # (bash reports a job killed by a signal on stderr; the line below says it once, in words)
  { wait -n -p EXITED "${RUNNING[@]}"; } 2>/dev/null || STATUS=$?
  for ((k = 1; k <= NODES; k++)); do
    if [ "${PIDS[k - 1]}" = "$EXITED" ]; then
      GONE[$k]=1
      echo "node $k exited with status $STATUS; the others keep running (its log: $DATA/node-$k.log)"
    fi
  done
done
