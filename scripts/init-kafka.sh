#!/usr/bin/env bash
# Creates every topic of the pipeline that does not exist yet; safe to run again.
#   scripts/init-kafka.sh [--bootstrap-server host:port] [--partitions N] [--replication-factor N]
# Defaults: localhost:$KAFKA_PORT (9092), $KAFKA_PARTITIONS (6), $KAFKA_REPLICATION_FACTOR (1).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bootstrap="localhost:$KAFKA_PORT"
partitions="$KAFKA_PARTITIONS"
replication="${KAFKA_REPLICATION_FACTOR:-1}"
while [ $# -gt 0 ]; do
  case "$1" in
    --bootstrap-server) bootstrap="$2"; shift 2 ;;
    --partitions) partitions="$2"; shift 2 ;;
    --replication-factor) replication="$2"; shift 2 ;;
    *) echo "usage: $0 [--bootstrap-server host:port] [--partitions N] [--replication-factor N]" >&2; exit 2 ;;
  esac
done

TOPICS=(OrderReceived OrderConfirmed OrderRejected OrderPickedAndPacked OrderShipped OrderCancelled
        Notification DeadLetterQueue KPIs)
stack_cli topics "$bootstrap" "$partitions" "$replication" "${TOPICS[@]}"
echo "Topics on $bootstrap: ${TOPICS[*]}"
