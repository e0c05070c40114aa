#!/bin/bash
# The pipeline's topics, as scripts/init-kafka.sh creates them; safe to run again.
#   create-topics.sh <bootstrap> <partitions> <replication factor> [client.properties]
# Used by deploy/compose.yaml and by the Kubernetes Job (deploy/kubernetes/base/topics-job.yaml).
set -euo pipefail
bootstrap="$1" partitions="$2" replication="$3"
client=()
[ -z "${4:-}" ] || client=(--command-config "$4")
for attempt in $(seq 60); do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" "${client[@]}" --list > /dev/null 2>&1 && break
  sleep 1
done
for topic in OrderReceived OrderConfirmed OrderRejected OrderPickedAndPacked OrderShipped OrderCancelled \
             Notification DeadLetterQueue KPIs; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" "${client[@]}" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$replication"
done
