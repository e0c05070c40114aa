# Shared by the scripts in this folder: where things are, the settings, and the dev-stack classpath.
# Settings are environment variables with the defaults of `make up` (see `make help`). While a stack runs, the shape
# it was started with ($STACK_DIR/run/stack.env: brokers, instances, ports) is the default of every setting not given.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="${STACK_DIR:-$ROOT/.stack}"
case "$STACK_DIR" in /*) ;; *) STACK_DIR="$ROOT/$STACK_DIR" ;; esac
export STACK_DIR
RUN="$STACK_DIR/run"
SHAPE_FILE="$RUN/stack.env"
if [ -f "$SHAPE_FILE" ]; then
  while IFS='=' read -r shape_name shape_value; do
    [[ "$shape_name" =~ ^[A-Z_]+$ ]] || continue
    [ -n "${!shape_name:-}" ] || { printf -v "$shape_name" '%s' "$shape_value"; export "${shape_name?}"; }
  done < "$SHAPE_FILE"
fi
KAFKA_PORT="${KAFKA_PORT:-9092}"
PG_PORT="${PG_PORT:-5432}"
KAFKA_PARTITIONS="${KAFKA_PARTITIONS:-6}"
BROKERS="${BROKERS:-1}"
INSTANCES="${INSTANCES:-1}"
export KAFKA_PORT PG_PORT KAFKA_PARTITIONS BROKERS INSTANCES
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Maven from the PATH, else the wrapper, which fetches Maven once.
MAVEN="$(command -v mvn || echo "$ROOT/mvnw")"

# Every broker's address: localhost:KAFKA_PORT, localhost:KAFKA_PORT+1, ... (BROKERS of them).
kafka_bootstrap() {
  local i addresses=()
  for ((i = 0; i < BROKERS; i++)); do addresses+=("localhost:$((KAFKA_PORT + i))"); done
  (IFS=,; echo "${addresses[*]}")
}

# name, default port and the variable that changes it
SERVICES=(order:8081:ORDER_PORT inventory:8082:INVENTORY_PORT warehouse:8083:WAREHOUSE_PORT
          shipper:8084:SHIPPER_PORT notification:8085:NOTIFICATION_PORT)

# How many processes of service $1 run: ORDER_INSTANCES for order, ..., else INSTANCES.
instances_of() {
  local var
  var="$(tr '[:lower:]' '[:upper:]' <<< "$1")_INSTANCES"
  echo "${!var:-$INSTANCES}"
}

# Instance $2 of service $1 is called svc-$1 (the first) or svc-$1-$2: its pid, port, log and jar go by that name.
instance_label() { if [ "$2" -eq 0 ]; then echo "svc-$1"; else echo "svc-$1-$2"; fi; }

# The classpath of Kafka's broker and tools and of the stack launcher, written by the dev-stack build.
devstack_classpath() {
  local file="$ROOT/dev-stack/target/classes/orderflow/dev-stack.classpath"
  if [ ! -s "$file" ]; then
    echo "Building dev-stack (Kafka and PostgreSQL from Maven Central) ..." >&2
    (cd "$ROOT" && "$MAVEN" -q -B -pl dev-stack -am install -DskipTests) >&2 || return 1
  fi
  echo "$ROOT/dev-stack/target/classes:$(cat "$file")"
}

stack_cli() {
  local cp
  cp="$(devstack_classpath)" || return 1
  "$JAVA" -cp "$cp" org.orderflow.devstack.StackCli "$@"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The pid in a pid file, if that process is alive and is the one we started (its command line names $2). `ps -o
# command=` rather than /proc: macOS has no /proc.
live_pid() {
  local pid_file="$1" marker="$2" pid command
  [ -f "$pid_file" ] || return 1
  read -r pid < "$pid_file" || [ -n "$pid" ] || return 1   # the first line: postmaster.pid has more
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  command="$(ps -p "$pid" -o command= 2>/dev/null)" || return 1
  grep -qF -- "$marker" <<< "$command" || return 1
  echo "$pid"
}

# Runs "$@" in the background, detached from the terminal's session where setsid exists (Linux), so that a Ctrl-C in
# the shell that ran `make up` does not reach it; macOS has no setsid, and a background job of a script ignores
# SIGINT there anyway.
detached() {
  if command -v setsid > /dev/null; then
    setsid nohup "$@" &
  else
    nohup "$@" &
  fi
}
