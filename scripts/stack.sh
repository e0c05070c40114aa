#!/usr/bin/env bash
# The local stack: real PostgreSQL and Kafka (from Maven Central, no Docker) and the five services.
#   scripts/stack.sh up | down | ps
# `up` starts what is not running and is safe to run again: with the stack up, it brings it to the shape asked
# (BROKERS, INSTANCES, <SERVICE>_INSTANCES), starting missing processes and stopping surplus instances.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

LOGS="$STACK_DIR/logs"
# The JVM's own compilers (C1 then C2), as the jars run anywhere else: settled, C2 ships 870 of 1,000 orders/s on
# the 2-core machine where C1 alone ships 640, and answers 100/s sooner. Freshly started, its compilers take up to
# half a core under load for some seven minutes at 300 orders/s, which `make bench` waits out;
# SERVICE_JAVA_OPTS="... -XX:TieredStopAtLevel=1" is C1 alone (docs/performance.md has both). The serial collector:
# with heaps this small its pauses are short, and it has neither G1's concurrent threads nor its costlier write
# barriers, which compete with the services for the same two cores. A young generation of 128 MB: a pause costs what
# survives it, whatever the size, and with the 17 MB the JVM chose for -Xms64m each service paused every second or
# two under load. See docs/performance.md.
DEFAULT_SERVICE_JAVA_OPTS="-Xms256m -Xmx512m -Xmn128m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
STOP_TIMEOUT=20

# The first instance's port of service $1 (default $2, variable $3); instance i listens on it + 10·i.
base_port() { local var="$3"; echo "${!var:-$2}"; }

instance_pid() { live_pid "$RUN/$1.pid" "run/$1.jar"; }

start_instance() {
  local name="$1" index="$2" port="$3" var="$4" label jar="$ROOT/svc-$1/target/svc-$1.jar" pid
  label="$(instance_label "$name" "$index")"
  if pid="$(instance_pid "$label")"; then
    local running_port
    running_port="$(cat "$RUN/$label.port" 2>/dev/null || echo "$port")"
    [ "$running_port" = "$port" ] || echo "warning: $label runs on port $running_port, not $port ($var); make down first to change it" >&2
    return
  fi
  if port_in_use "$port"; then
    echo "error: port $port for $label is already in use by another process; choose another with ${var}=<port>" >&2
    exit 1
  fi
  [ -f "$jar" ] || { echo "error: $jar is missing; run make build" >&2; exit 1; }
  # Run a copy: a later `make build` rewrites the jar, and a JVM whose jar changed under it fails to load classes.
  cp "$jar" "$RUN/$label.jar"
  HTTP_PORT="$port" INSTANCE_ID="$label" SERVICE_URLS="$(service_urls)" \
  DB_URL="jdbc:postgresql://localhost:$PG_PORT/${name}_db" DB_USER="${name}_user" DB_PASSWORD="${name}_user" \
  KAFKA_BOOTSTRAP_SERVERS="$(kafka_bootstrap)" \
    detached "$JAVA" ${SERVICE_JAVA_OPTS:-$DEFAULT_SERVICE_JAVA_OPTS} -jar "$RUN/$label.jar" >> "$LOGS/$label.log" 2>&1 < /dev/null
  echo $! > "$RUN/$label.pid"
  echo "$port" > "$RUN/$label.port"
  echo "Started $label on port $port (pid $!)"
}

# Every instance's address, name=url comma-separated: svc-order's pages reach the other services through them.
service_urls() {
  local entry name default var count i urls=()
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name default var <<< "$entry"
    count="$(instances_of "$name")"
    for ((i = 0; i < count; i++)); do urls+=("svc-$name=http://localhost:$(($(base_port "$name" "$default" "$var") + 10 * i))"); done
  done
  (IFS=,; echo "${urls[*]}")
}

await_ready() {
  local label="$1" port="$2" started=$SECONDS deadline=$((SECONDS + 90))
  until curl -sf "http://localhost:$port/ready" > /dev/null; do
    if ! instance_pid "$label" > /dev/null; then
      echo "error: $label exited; last lines of $LOGS/$label.log:" >&2
      tail -n 20 "$LOGS/$label.log" >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "error: $label is not ready after 90 s: $(curl -s "http://localhost:$port/ready")" >&2
      exit 1
    fi
    sleep 0.3
  done
  echo "$label is ready on port $port ($((SECONDS - started)) s)"
}

# PostgreSQL and every broker of this shape run: then `up` need not start a JVM to ask (it restarts one process fast).
infra_running() {
  live_pid "$STACK_DIR/postgres/data/postmaster.pid" postgres > /dev/null || return 1
  if [ "$BROKERS" -eq 1 ]; then
    live_pid "$STACK_DIR/kafka/kafka.pid" kafka.Kafka > /dev/null || return 1
  else
    local node
    for ((node = 1; node <= BROKERS; node++)); do
      live_pid "$STACK_DIR/kafka-cluster/node-$node/kafka.pid" kafka.Kafka > /dev/null || return 1
    done
  fi
}

# The shape asked for, kept while the stack runs: later commands (ps, chaos, a second up) default to it.
record_shape() {
  local entry name var
  {
    echo "BROKERS=$BROKERS"; echo "INSTANCES=$INSTANCES"; echo "KAFKA_PORT=$KAFKA_PORT"; echo "PG_PORT=$PG_PORT"
    [ -z "${KAFKA_CONTROLLER_PORT:-}" ] || echo "KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT"
    [ -z "${SERVICE_JAVA_OPTS:-}" ] || echo "SERVICE_JAVA_OPTS=$SERVICE_JAVA_OPTS"
    for entry in "${SERVICES[@]}"; do
      IFS=: read -r name _ var <<< "$entry"
      echo "$var=$(base_port "$name" "" "$var")" | grep -v '=$' || true
      var="$(tr '[:lower:]' '[:upper:]' <<< "$name")_INSTANCES"
      [ -z "${!var:-}" ] || echo "$var=${!var}"
    done
  } > "$SHAPE_FILE"
}

# SIGTERM to each process at once (each finishes what it handles), then wait for each; SIGKILL after STOP_TIMEOUT s.
stop_instances() {
  local label pid pids=() labels=()
  for label in "$@"; do
    if pid="$(instance_pid "$label")"; then
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid") && labels+=("$label")
    fi
    rm -f "$RUN/$label.pid" "$RUN/$label.port"
  done
  local i deadline=$((SECONDS + STOP_TIMEOUT))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        echo "${labels[$i]} did not stop within $STOP_TIMEOUT s; killing it" >&2
        kill -KILL "${pids[$i]}" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
    echo "Stopped ${labels[$i]}"
  done
}

# Labels of the instances of service $1 with a pid file, whatever the shape: svc-order, svc-order-1, ...
recorded_labels() {
  local file
  for file in "$RUN/svc-$1.pid" "$RUN/svc-$1"-*.pid; do
    [ -f "$file" ] && basename "$file" .pid
  done
  return 0
}

up() {
  mkdir -p "$LOGS" "$RUN"
  if ! infra_running; then
    stack_cli infra-up
    echo "Creating the topics ..."
    "$ROOT/scripts/init-kafka.sh" --bootstrap-server "$(kafka_bootstrap)" --replication-factor "$((BROKERS < 3 ? BROKERS : 3))" > /dev/null
  fi
  record_shape
  # The local token issuer (made once): the services trust its JWKS; scripts/orderflow token signs with its key.
  [ -s "$STACK_DIR/auth/auth.env" ] || stack_cli auth-keys "$STACK_DIR/auth"
  set -a; source "$STACK_DIR/auth/auth.env"; set +a
  local entry name default var base count index label surplus=() ready=()
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name default var <<< "$entry"
    base="$(base_port "$name" "$default" "$var")"
    count="$(instances_of "$name")"
    for ((index = 0; index < count; index++)); do
      start_instance "$name" "$index" "$((base + 10 * index))" "$var"
      ready+=("$(instance_label "$name" "$index"):$((base + 10 * index))")
    done
    for label in $(recorded_labels "$name"); do
      index="${label##*-}"
      [[ "$index" =~ ^[0-9]+$ ]] || index=0
      [ "$index" -lt "$count" ] || surplus+=("$label")
    done
  done
  [ ${#surplus[@]} -eq 0 ] || stop_instances "${surplus[@]}"
  echo "Waiting for the services to be ready (each migrates its database and joins its consumer group) ..."
  for entry in "${ready[@]}"; do
    await_ready "${entry%%:*}" "${entry##*:}"
  done
  [ "${1:-}" = "--quiet" ] || banner
}

banner() {
  cat <<MSG

orderflow is up ($(processes_summary)).
  svc-order         http://localhost:$(base_port order 8081 ORDER_PORT)        (POST /orders, GET /orders/{id})
  svc-inventory     http://localhost:$(base_port inventory 8082 INVENTORY_PORT)        (GET /products)
  svc-warehouse     http://localhost:$(base_port warehouse 8083 WAREHOUSE_PORT)
  svc-shipper       http://localhost:$(base_port shipper 8084 SHIPPER_PORT)
  svc-notification  http://localhost:$(base_port notification 8085 NOTIFICATION_PORT)
  Kafka             $(kafka_bootstrap)     PostgreSQL  localhost:$PG_PORT (user postgres, password postgres)
  Logs              $LOGS   (make logs; make ps lists every process)
  Track an order    http://localhost:$(base_port order 8081 ORDER_PORT)/        (paste a token from scripts/orderflow token --customer cust-1)
  Operations        http://localhost:$(base_port order 8081 ORDER_PORT)/ops     (paste a token from scripts/orderflow token --operator)
  API docs          http://localhost:$(base_port order 8081 ORDER_PORT)/docs    (Swagger UI; every service has /docs)

Try (every route but /health, /ready and /metrics needs a token of the local issuer, .stack/auth):
  CUST=\$(scripts/orderflow token --customer cust-1); OPS=\$(scripts/orderflow token --operator)
  curl -s -H "Authorization: Bearer \$CUST" localhost:$(base_port order 8081 ORDER_PORT)/orders
  scripts/kafka-console-consumer --bootstrap-server localhost:$KAFKA_PORT --topic Notification --from-beginning
MSG
}

processes_summary() {
  local entry name total=0
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name _ _ <<< "$entry"
    total=$((total + $(instances_of "$name")))
  done
  echo "$total service processes, $BROKERS broker$([ "$BROKERS" -eq 1 ] || echo s); instance i of a service listens on its port + 10·i"
}

down() {
  local entry name labels=()
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name _ _ <<< "$entry"
    # shellcheck disable=SC2207
    labels+=($(recorded_labels "$name"))
  done
  [ ${#labels[@]} -eq 0 ] || stop_instances "${labels[@]}"
  stack_cli infra-down
  rm -f "$SHAPE_FILE"
  echo "Stopped Kafka and PostgreSQL"
}

ps_() {
  local entry name default var base count index label pid
  printf '%-19s %-8s %s\n' PROCESS STATE WHERE
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name default var <<< "$entry"
    base="$(base_port "$name" "$default" "$var")"
    count="$(instances_of "$name")"
    for ((index = 0; index < count; index++)); do
      label="$(instance_label "$name" "$index")"
      if pid="$(instance_pid "$label")"; then
        printf '%-19s %-8s %s\n' "$label" running "port $(cat "$RUN/$label.port" 2>/dev/null)  pid $pid"
      else
        printf '%-19s %-8s %s\n' "$label" stopped "port $((base + 10 * index))"
      fi
    done
    for label in $(recorded_labels "$name"); do
      index="${label##*-}"
      [[ "$index" =~ ^[0-9]+$ ]] && [ "$index" -ge "$count" ] || continue
      pid="$(instance_pid "$label")" && printf '%-19s %-8s %s\n' "$label" running "port $(cat "$RUN/$label.port" 2>/dev/null)  pid $pid (beyond $(instances_of "$name") instances)"
    done
  done
  stack_cli infra-status
}

case "${1:-}" in
  up) up "${2:-}" ;;
  down) down ;;
  ps) ps_ ;;
  *) echo "usage: $0 up [--quiet] | down | ps" >&2; exit 2 ;;
esac
