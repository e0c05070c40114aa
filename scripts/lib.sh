# Shared by the scripts in this folder: where things are, the settings, and the dev-stack classpath.
# Settings are environment variables with the defaults of `make up` (see `make help`).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="${STACK_DIR:-$ROOT/.stack}"
case "$STACK_DIR" in /*) ;; *) STACK_DIR="$ROOT/$STACK_DIR" ;; esac
export STACK_DIR
KAFKA_PORT="${KAFKA_PORT:-9092}"
PG_PORT="${PG_PORT:-5432}"
KAFKA_PARTITIONS="${KAFKA_PARTITIONS:-6}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# name, default port and the variable that changes it
SERVICES=(order:8081:ORDER_PORT inventory:8082:INVENTORY_PORT warehouse:8083:WAREHOUSE_PORT
          shipper:8084:SHIPPER_PORT notification:8085:NOTIFICATION_PORT)

# The classpath of Kafka's broker and tools and of the stack launcher, written by the dev-stack build.
devstack_classpath() {
  local file="$ROOT/dev-stack/target/classes/orderflow/dev-stack.classpath"
  if [ ! -s "$file" ]; then
    echo "Building dev-stack (Kafka and PostgreSQL from Maven Central) ..." >&2
    (cd "$ROOT" && mvn -q -B -pl dev-stack -am install -DskipTests) >&2 || return 1
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

# The pid in a pid file, if that process is alive and is the one we started (its command line names $2).
live_pid() {
  local pid_file="$1" marker="$2" pid
  [ -f "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  grep -q -- "$marker" <<< "$(tr '\0' ' ' < "/proc/$pid/cmdline")" || return 1
  echo "$pid"
}
