#!/usr/bin/env bash
# Drives a running stack (make up) through the pipeline's cases and prints one PASS or FAIL line per case:
# orders over HTTP and through kafka-console-producer, out of stock, unknown product, a duplicate re-send, a
# malformed message (to DeadLetterQueue), cancellations, a failed pick, an over-long field (400) and a dead letter
# replayed twice with scripts/orderflow (applied once). Exits non-zero if any case fails.
# Needs bash, curl and a JDK (the Kafka tools and scripts/orderflow).
set -uo pipefail
source "$(dirname "$0")/lib.sh"

ORDER="http://localhost:${ORDER_PORT:-8081}"
NOTIFY="http://localhost:${NOTIFICATION_PORT:-8085}"
INVENTORY="http://localhost:${INVENTORY_PORT:-8082}"
WAREHOUSE="http://localhost:${WAREHOUSE_PORT:-8083}"
SHIPPER="http://localhost:${SHIPPER_PORT:-8084}"
BOOTSTRAP="$(kafka_bootstrap)"
TIMEOUT="${TIMEOUT:-60}"
RUN="$(date +%s)-$$"
failures=0

# Every call as an operator of the local stack's issuer (make up made its key).
TOKEN="$("$ROOT/scripts/orderflow" token --operator)" || { echo "cannot make a token: start the stack with make up"; exit 2; }
curl() { command curl -H "Authorization: Bearer $TOKEN" "$@"; }

pass() { printf 'PASS  %s\n' "$1"; }
fail() { printf 'FAIL  %s: %s\n' "$1" "$2"; failures=$((failures + 1)); }

# The order's status (the first "status" of GET /orders/{id} is the order's own), or nothing.
status_of() { curl -s "$ORDER/orders/$1" | grep -o '"status":"[A-Z_]*"' | head -1 | cut -d'"' -f4; }

await_status() {
  local order_id="$1" wanted="$2" deadline=$((SECONDS + TIMEOUT)) current=""
  while [ $SECONDS -lt $deadline ]; do
    current="$(status_of "$order_id")"
    [ "$current" = "$wanted" ] && return 0
    case "$current" in SHIPPED|REJECTED|CANCELLED) [ "$current" != "$wanted" ] && break ;; esac
    sleep 0.2
  done
  echo "${current:-unknown}"
  return 1
}

notification_count() { curl -s "$NOTIFY/notifications?order_id=$1" | grep -o '"kind":"' | wc -l | tr -d ' '; }

await_notifications() {
  local deadline=$((SECONDS + TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(notification_count "$1")" -ge "$2" ] && return 0
    sleep 0.2
  done
  return 1
}

place_order() { # customer product quantity -> order id
  curl -s -X POST "$ORDER/orders" -H 'Content-Type: application/json' \
    -d "{\"customer_id\":\"$1\",\"currency\":\"EUR\",\"items\":[{\"product_id\":\"$2\",\"name\":\"Test Product\",\"quantity\":$3,\"price\":19.99}]}" \
    | grep -o '"order_id":"[^"]*"' | head -1 | cut -d'"' -f4
}

typed_order() { # order id, product -> the README's kafka-console-producer payload
  echo "{\"order_id\":\"$1\",\"customer_id\":\"cust-456\",\"items\":[{\"product_id\":\"$2\",\"name\":\"Test Product\",\"quantity\":2,\"price\":19.99}],\"total\":39.98,\"timestamp\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}"
}

produce() { "$ROOT/scripts/kafka-console-producer" --bootstrap-server "$BOOTSTRAP" --topic OrderReceived > /dev/null; }

curl -sf "$ORDER/ready" > /dev/null || { echo "svc-order does not answer on $ORDER/ready: start the stack with make up"; exit 2; }
echo "orderflow system test against $ORDER (run $RUN)"

# 1. Happy path over HTTP: RECEIVED -> CONFIRMED -> PICKED_AND_PACKED -> SHIPPED, the customer told at each step.
case="order over HTTP is shipped"
order_id="$(place_order "cust-$RUN" prod-789 2)"
if [ -z "$order_id" ]; then fail "$case" "POST /orders returned no order"
elif ! got="$(await_status "$order_id" SHIPPED)"; then fail "$case" "order $order_id is $got"
elif ! await_notifications "$order_id" 4; then fail "$case" "only $(notification_count "$order_id") of 4 notifications"
else pass "$case ($order_id, 4 notifications)"; fi
shipped_order="$order_id"

# 2. The same through kafka-console-producer, without any header.
case="order typed into kafka-console-producer is shipped"
kafka_order="typed-$RUN"
typed_order "$kafka_order" prod-789 | produce
if ! got="$(await_status "$kafka_order" SHIPPED)"; then fail "$case" "order $kafka_order is $got"
elif ! await_notifications "$kafka_order" 4; then fail "$case" "only $(notification_count "$kafka_order") of 4 notifications"
else pass "$case ($kafka_order)"; fi

# 3. Out of stock: rejected, with the reason, and the customer told.
case="order for more than is in stock is rejected"
order_id="$(place_order "cust-$RUN" sku-limited 10000)"
if ! got="$(await_status "$order_id" REJECTED)"; then fail "$case" "order $order_id is $got"
elif ! grep -q OUT_OF_STOCK <<< "$(curl -s "$ORDER/orders/$order_id")"; then fail "$case" "no OUT_OF_STOCK reason in its history"
elif ! await_notifications "$order_id" 2; then fail "$case" "the customer was not told"
else pass "$case ($order_id)"; fi

# 4. Unknown product: rejected.
case="order for an unknown product is rejected"
order_id="$(place_order "cust-$RUN" sku-does-not-exist 1)"
if ! got="$(await_status "$order_id" REJECTED)"; then fail "$case" "order $order_id is $got"
elif ! grep -q UNKNOWN_PRODUCT <<< "$(curl -s "$ORDER/orders/$order_id")"; then fail "$case" "no UNKNOWN_PRODUCT reason in its history"
else pass "$case ($order_id)"; fi

# 5. The same order sent twice by hand: one order, shipped once, four notifications (not eight).
case="order re-sent by hand is applied once"
twice="twice-$RUN"
{ typed_order "$twice" sku-cable; typed_order "$twice" sku-cable; } | produce
if ! got="$(await_status "$twice" SHIPPED)"; then fail "$case" "order $twice is $got"
elif ! await_notifications "$twice" 4; then fail "$case" "only $(notification_count "$twice") notifications"
else
  sleep 2 # a duplicate applied twice would show up by now: it travels right behind the first
  count="$(notification_count "$twice")"
  if [ "$count" -ne 4 ]; then fail "$case" "$count notifications instead of 4"; else pass "$case ($twice)"; fi
fi

# 6. A malformed message goes to DeadLetterQueue with its context, and the pipeline carries on.
case="malformed message goes to DeadLetterQueue"
marker="malformed-$RUN"
echo "{\"order_id\": \"$marker\", this is not json" | produce
# Output is captured before grep -q reads it (here and above): grep -q stops reading at its first match, and under
# pipefail the writer's broken pipe would count as a failure.
dead_letters="$("$ROOT/scripts/kafka-console-consumer" --bootstrap-server "$BOOTSTRAP" --topic DeadLetterQueue --from-beginning \
  --timeout-ms 15000 --formatter-property print.headers=true 2> /dev/null)"
if [ "$(grep "$marker" <<< "$dead_letters" | grep -c 'dlq_original_topic:OrderReceived')" -gt 0 ]; then
  pass "$case ($marker)"
else
  fail "$case" "no dead letter with $marker from OrderReceived"
fi

# 7. Cancelling a shipped order is refused with a problem (409), and the order stays SHIPPED.
case="cancelling a shipped order is refused"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$ORDER/orders/$shipped_order/cancel")"
if [ "$code" != "409" ]; then fail "$case" "POST /orders/$shipped_order/cancel answered $code"
elif [ "$(status_of "$shipped_order")" != "SHIPPED" ]; then fail "$case" "the order is $(status_of "$shipped_order")"
else pass "$case ($shipped_order)"; fi

# 8. A cancellation races the pipeline: it ends CANCELLED (and nothing ships) or SHIPPED (the customer told it came
#    too late), never both.
case="cancellation right after placing ends cancelled or too late, never both"
order_id="$(place_order "cust-$RUN" sku-mouse 1)"
curl -s -o /dev/null -X POST "$ORDER/orders/$order_id/cancel" -H 'Content-Type: application/json' -d '{"reason":"changed my mind"}'
deadline=$((SECONDS + TIMEOUT)); final=""
while [ $SECONDS -lt $deadline ]; do
  final="$(status_of "$order_id")"; case "$final" in SHIPPED|CANCELLED) break ;; esac; sleep 0.2
done
shipment="$(curl -s -o /dev/null -w '%{http_code}' "$SHIPPER/shipments/$order_id")"
if [ "$final" = "CANCELLED" ] && [ "$shipment" = "404" ]; then pass "$case ($order_id: CANCELLED, not shipped)"
elif [ "$final" = "SHIPPED" ] && [ "$shipment" = "200" ] && grep -q CANCELLATION_TOO_LATE <<< "$(curl -s "$NOTIFY/notifications?order_id=$order_id")"; then
  pass "$case ($order_id: SHIPPED, the cancellation came too late)"
else fail "$case" "order $order_id is ${final:-unknown}, shipment answered $shipment"; fi

# 9. A pick that fails (a product marked damaged in the warehouse) cancels the order and gives the stock back.
case="failed pick cancels the order and releases its stock"
product="sys-damaged-$RUN"
curl -s -o /dev/null -X PUT "$INVENTORY/products/$product" -H 'Content-Type: application/json' -d '{"name":"Dented box","price":5.00,"on_hand":10}'
curl -s -o /dev/null -X PUT "$WAREHOUSE/damaged-products/$product"
order_id="$(place_order "cust-$RUN" "$product" 4)"
if ! got="$(await_status "$order_id" CANCELLED)"; then fail "$case" "order $order_id is $got"
elif ! grep -q PICK_FAILED <<< "$(curl -s "$ORDER/orders/$order_id")"; then fail "$case" "no PICK_FAILED reason in its history"
else
  deadline=$((SECONDS + TIMEOUT))
  until grep -q '"reserved":0' <<< "$(curl -s "$INVENTORY/products/$product")" || [ $SECONDS -ge $deadline ]; do sleep 0.2; done
  if grep -q '"on_hand":10,"reserved":0' <<< "$(curl -s "$INVENTORY/products/$product")"; then pass "$case ($order_id)"
  else fail "$case" "stock of $product is $(curl -s "$INVENTORY/products/$product")"; fi
fi

# 10. Input out of bounds is a 400 naming the field, and nothing is stored: a 201-character name, a NUL in an id.
case="over-long or control-character field is a 400 naming it"
long_name="$(printf 'n%.0s' $(seq 201))"
answer="$(curl -s -w '\n%{http_code}' -X POST "$ORDER/orders" -H 'Content-Type: application/json' \
  -d "{\"customer_id\":\"cust-$RUN\",\"currency\":\"EUR\",\"items\":[{\"product_id\":\"sku-mouse\",\"name\":\"$long_name\",\"quantity\":1,\"price\":1}]}")"
nul_code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$ORDER/orders" -H 'Content-Type: application/json' \
  -d '{"customer_id":"a\u0000b","currency":"EUR","items":[{"product_id":"sku-mouse","quantity":1,"price":1}]}')"
if [ "$(tail -n 1 <<< "$answer")" != "400" ]; then fail "$case" "a 201-character name answered $(tail -n 1 <<< "$answer")"
elif ! grep -q '"field":"items\[0\].name"' <<< "$answer"; then fail "$case" "the 400 does not name items[0].name: $answer"
elif [ "$nul_code" != "400" ]; then fail "$case" "a NUL in customer_id answered $nul_code"
else pass "$case"; fi

# 11. A dead letter replayed (twice) with scripts/orderflow is applied once. The dead letter is written here as a
#     consumer that was since mended would have left it: a valid order, with the dlq_* context of its failure.
case="dead letter replayed twice is applied once"
replayed="replayed-$RUN"
printf 'dlq_original_topic:OrderReceived,dlq_original_partition:0,dlq_original_offset:0,dlq_service:svc-order,dlq_exception_class:java.lang.IllegalStateException,dlq_exception_message:%s\t%s\n' \
  "$replayed" "$(typed_order "$replayed" sku-keyboard)" \
  | "$ROOT/scripts/kafka-console-producer" --bootstrap-server "$BOOTSTRAP" --topic DeadLetterQueue --property parse.headers=true > /dev/null
dead_letter=""
deadline=$((SECONDS + TIMEOUT))
until [ -n "$dead_letter" ] || [ $SECONDS -ge $deadline ]; do
  listed="$("$ROOT/scripts/orderflow" dlq list --topic OrderReceived --since 10m 2>&1)"
  dead_letter="$(grep "$replayed" <<< "$listed" | awk '{print $1}' | head -1)"
done
if [ -z "$dead_letter" ]; then fail "$case" "orderflow dlq list does not show the dead letter of $replayed"
elif ! "$ROOT/scripts/orderflow" dlq replay "$dead_letter" > /dev/null || ! "$ROOT/scripts/orderflow" dlq replay "$dead_letter" > /dev/null; then
  fail "$case" "orderflow dlq replay $dead_letter failed"
elif ! got="$(await_status "$replayed" SHIPPED)"; then fail "$case" "order $replayed is $got"
elif ! await_notifications "$replayed" 4; then fail "$case" "only $(notification_count "$replayed") notifications"
else
  sleep 2 # the second replay travels right behind the first
  count="$(notification_count "$replayed")"
  if [ "$count" -ne 4 ]; then fail "$case" "$count notifications instead of 4"; else pass "$case ($dead_letter, $replayed)"; fi
fi

echo
if [ "$failures" -eq 0 ]; then echo "All cases passed."; else echo "$failures case(s) failed."; fi
[ "$failures" -eq 0 ]
