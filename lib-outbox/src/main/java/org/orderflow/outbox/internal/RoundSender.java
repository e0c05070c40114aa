package org.orderflow.outbox.internal;

import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends one round's rows through a producer and waits for every acknowledgement: the Kafka half of a relay round,
 * with no SQL. A row Kafka refuses for good ({@link Refusals#isPermanent}) is reported to be parked and the round goes
 * on without it; any other failure ends the round, and the rows from it on stay pending.
 */
final class RoundSender {
    private RoundSender() {
    }

    /**
     * What became of a round's rows.
     *
     * @param acknowledged rows Kafka acknowledged
     * @param refused      rows Kafka refused for good, with why
     * @param failure      why the round ended early, if it did: the rows neither acknowledged nor refused stay pending
     */
    record Sent(List<PendingRow> acknowledged, List<Refused> refused, Optional<KafkaException> failure) {
    }

    record Refused(long id, Exception reason) {
    }

    /** Sends the rows, each in a publish span of its own ({@link RelayTracing}). */
    static Sent send(Producer<String, byte[]> producer, List<PendingRow> rows, RelayTracing tracing) {
        List<SendOutcome> outcomes = new ArrayList<>(rows.size());
        try {
            for (PendingRow row : rows) {
                SendOutcome outcome = new SendOutcome(row);
                outcomes.add(outcome);
                ProducerRecord<String, byte[]> record = row.toRecord();
                Span span = tracing.start(row, record);
                producer.send(record, (metadata, error) -> {
                    outcome.error = error;
                    RelayTracing.end(span, metadata, error);
                });
                if (outcome.error != null && !Refusals.isPermanent(outcome.error)) {
                    // send() reports a metadata timeout through the callback after blocking max.block.ms: stop the
                    // round here instead of blocking that long for every remaining row.
                    break;
                }
            }
        } finally {
            producer.flush(); // returns once every record sent so far is acknowledged or failed
        }
        List<PendingRow> acknowledged = outcomes.stream().filter(o -> o.error == null).map(o -> o.row).toList();
        List<Refused> refused = outcomes.stream().filter(o -> o.error != null && Refusals.isPermanent(o.error))
                .map(o -> new Refused(o.row.id(), o.error)).toList();
        Optional<KafkaException> failure = outcomes.stream().filter(o -> o.error != null && !Refusals.isPermanent(o.error)).findFirst()
                .map(failed -> failed.error instanceof KafkaException kafka ? kafka : new KafkaException(failed.error));
        int unsent = rows.size() - acknowledged.size() - refused.size();
        if (failure.isEmpty() && unsent > 0) {
            failure = Optional.of(new KafkaException(unsent + " records were not sent"));
        }
        return new Sent(acknowledged, refused, failure);
    }

    private static final class SendOutcome {
        private final PendingRow row;
        private volatile Exception error;

        SendOutcome(PendingRow row) {
            this.row = row;
        }
    }
}
