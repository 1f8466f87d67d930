#!/usr/bin/env bash
# Stops the Herald nodes running on this machine with SIGTERM (a clean, controlled shutdown; SIGNAL=... sends another),
# as Kafka's script does. Kafka 4.x's filters pick nodes by their server.properties:
#   --process-role=ROLES  only nodes whose process.roles is exactly ROLES (e.g. broker, controller, broker,controller)
#   --node-id=ID          only the node with that node.id (wins over --process-role when both are given)
# A node's config is the file it was started with (relative paths from its working directory), with its
# --override property=value arguments applied.
SIGNAL=${SIGNAL:-TERM}

ROLE_FILTER=""
NODE_FILTER=""
for arg in "$@"; do
  case "$arg" in
    --process-role=*) ROLE_FILTER="${arg#--process-role=}" ;;
    --node-id=*) NODE_FILTER="${arg#--node-id=}" ;;
  esac
done
if [ -n "$NODE_FILTER" ] && [ -n "$ROLE_FILTER" ]; then
  echo "When both node-id and process-role are provided, the value for node-id will take precedence"
fi

PIDS=$(pgrep -f 'io\.herald\.server\.HeraldMain' || true)
if [ -z "$PIDS" ]; then
  echo "No kafka server to stop"
  exit 1
fi
if [ -z "$NODE_FILTER" ] && [ -z "$ROLE_FILTER" ]; then
  # shellcheck disable=SC2086
  kill -s "$SIGNAL" $PIDS
  exit 0
fi

# Prints the process's arguments after the main class, one per line.
node_args() {
  if [ -r "/proc/$1/cmdline" ]; then
    tr '\0' '\n' <"/proc/$1/cmdline"
  else
    ps -p "$1" -o args= | tr ' ' '\n'
  fi | awk 'seen { print } /^io\.herald\.server\.HeraldMain$/ { seen = 1 }'
}

# The value of a property for a node: its last --override, else the config file's (Java properties: key=value or key:value).
node_property() {
  local pid=$1 key=$2 config value="" overridden=0 i
  local -a args
  mapfile -t args < <(node_args "$pid")
  config=${args[0]:-}
  for ((i = 1; i + 1 < ${#args[@]}; i++)); do
    if [ "${args[i]}" = "--override" ] && [ "${args[i + 1]%%=*}" = "$key" ]; then
      value=${args[i + 1]#*=}
      overridden=1
    fi
  done
  if [ "$overridden" = 1 ]; then
    echo "$value"
    return
  fi
  case "$config" in
    /*) ;;
    *) config="$(readlink "/proc/$pid/cwd" 2>/dev/null || pwd)/$config" ;;
  esac
  [ -r "$config" ] || return
  sed -n "s/^[[:space:]]*${key//./\\.}[[:space:]]*[=:][[:space:]]*//p" "$config" | tail -n 1 | tr -d '[:space:]'
}

for pid in $PIDS; do
  if [ -n "$NODE_FILTER" ]; then
    [ "$(node_property "$pid" node.id)" = "$NODE_FILTER" ] && kill -s "$SIGNAL" "$pid"
  elif [ "$(node_property "$pid" process.roles)" = "$ROLE_FILTER" ]; then
    kill -s "$SIGNAL" "$pid"
  fi
done
exit 0
