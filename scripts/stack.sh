#!/usr/bin/env bash
# The local stack: real PostgreSQL and Kafka (from Maven Central, no Docker) and the five services.
#   scripts/stack.sh up | down | ps
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
RUN="$STACK_DIR/run"

# The port a service runs on (as recorded when it started), else the one configured.
service_port() {
  local var="$3"
  cat "$RUN/svc-$1.port" 2>/dev/null && return
  echo "${!var:-$2}"
}

configured_port() { local var="$3"; echo "${!var:-$2}"; }

start_service() {
  local name="$1" port="$2" jar="$ROOT/svc-$1/target/svc-$1.jar" pid
  if pid="$(live_pid "$RUN/svc-$name.pid" "svc-$name.jar")"; then
    local running_port
    running_port="$(cat "$RUN/svc-$name.port" 2>/dev/null || echo "$port")"
    echo "svc-$name already runs on port $running_port (pid $pid)"
    [ "$running_port" = "$port" ] || echo "warning: ${3}=$port is ignored while svc-$name runs; make down first to change it" >&2
    return
  fi
  if port_in_use "$port"; then
    echo "error: port $port for svc-$name is already in use by another process; choose another with ${3}=<port>" >&2
    exit 1
  fi
  [ -f "$jar" ] || { echo "error: $jar is missing; run make build" >&2; exit 1; }
  # Run a copy: a later `make build` rewrites the jar, and a JVM whose jar changed under it fails to load classes.
  cp "$jar" "$RUN/svc-$name.jar"
  HTTP_PORT="$port" \
  DB_URL="jdbc:postgresql://localhost:$PG_PORT/${name}_db" DB_USER="${name}_user" DB_PASSWORD="${name}_user" \
  KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT" \
    setsid nohup "$JAVA" ${SERVICE_JAVA_OPTS:-$DEFAULT_SERVICE_JAVA_OPTS} -jar "$RUN/svc-$name.jar" >> "$LOGS/svc-$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/svc-$name.pid"
  echo "$port" > "$RUN/svc-$name.port"
  echo "Started svc-$name on port $port (pid $!)"
}

await_ready() {
  local name="$1" port="$2" deadline=$((SECONDS + 90))
  until curl -sf "http://localhost:$port/ready" > /dev/null; do
    if ! live_pid "$RUN/svc-$name.pid" "svc-$name.jar" > /dev/null; then
      echo "error: svc-$name exited; last lines of $LOGS/svc-$name.log:" >&2
      tail -n 20 "$LOGS/svc-$name.log" >&2
      exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "error: svc-$name is not ready after 90 s: $(curl -s "http://localhost:$port/ready")" >&2
      exit 1
    fi
    sleep 0.3
  done
}

up() {
  mkdir -p "$LOGS" "$RUN"
  stack_cli infra-up
  "$ROOT/scripts/init-kafka.sh" --bootstrap-server "localhost:$KAFKA_PORT" > /dev/null
  local entry name default var port
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name default var <<< "$entry"
    start_service "$name" "$(configured_port "$name" "$default" "$var")" "$var"
  done
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name default var <<< "$entry"
    await_ready "$name" "$(service_port "$name" "$default" "$var")"
  done
  cat <<MSG

orderflow is up.
  svc-order         http://localhost:$(service_port order 8081 ORDER_PORT)        (POST /orders, GET /orders/{id})
  svc-inventory     http://localhost:$(service_port inventory 8082 INVENTORY_PORT)        (GET /products)
  svc-warehouse     http://localhost:$(service_port warehouse 8083 WAREHOUSE_PORT)
  svc-shipper       http://localhost:$(service_port shipper 8084 SHIPPER_PORT)
  svc-notification  http://localhost:$(service_port notification 8085 NOTIFICATION_PORT)
  Kafka             localhost:$KAFKA_PORT     PostgreSQL  localhost:$PG_PORT (user postgres, password postgres)
  Logs              $LOGS   (make logs)

Try:
  curl -s localhost:$(service_port order 8081 ORDER_PORT)/ready
  scripts/kafka-console-consumer --bootstrap-server localhost:$KAFKA_PORT --topic Notification --from-beginning
MSG
}

# SIGTERM to every service at once (each finishes what it handles), then wait for each; SIGKILL after 20 s.
down() {
  local entry name pid pids=() labels=()
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name _ _ <<< "$entry"
    if pid="$(live_pid "$RUN/svc-$name.pid" "svc-$name.jar")"; then
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid") && labels+=("svc-$name")
    fi
    rm -f "$RUN/svc-$name.pid" "$RUN/svc-$name.port"
  done
  local i deadline=$((SECONDS + 20))
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        echo "${labels[$i]} did not stop within 20 s; killing it" >&2
        kill -KILL "${pids[$i]}" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
    echo "Stopped ${labels[$i]}"
  done
  stack_cli infra-down
  echo "Stopped Kafka and PostgreSQL"
}

ps_() {
  local entry name default var port pid
  printf '%-17s %-8s %s\n' SERVICE STATE WHERE
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name default var <<< "$entry"
    port="$(service_port "$name" "$default" "$var")"
    if pid="$(live_pid "$RUN/svc-$name.pid" "svc-$name.jar")"; then
      printf '%-17s %-8s %s\n' "svc-$name" running "port $port  pid $pid"
    else
      printf '%-17s %-8s %s\n' "svc-$name" stopped "port $port"
    fi
  done
  stack_cli infra-status
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  ps) ps_ ;;
  *) echo "usage: $0 up|down|ps" >&2; exit 2 ;;
esac
