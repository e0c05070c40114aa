package org.orderflow.outbox.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
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
     * @param acknowledged ids Kafka acknowledged
     * @param refused      rows Kafka refused for good, with why
     * @param failure      why the round ended early, if it did: the rows neither acknowledged nor refused stay pending
     */
    record Sent(List<Long> acknowledged, List<Refused> refused, Optional<KafkaException> failure) {
    }

    record Refused(long id, Exception reason) {
    }

    static Sent send(Producer<String, byte[]> producer, List<PendingRow> rows) {
        List<SendOutcome> outcomes = new ArrayList<>(rows.size());
        try {
            for (PendingRow row : rows) {
                SendOutcome outcome = new SendOutcome(row.id());
                outcomes.add(outcome);
                producer.send(row.toRecord(), (metadata, error) -> outcome.error = error);
                if (outcome.error != null && !Refusals.isPermanent(outcome.error)) {
                    // send() reports a metadata timeout through the callback after blocking max.block.ms: stop the
                    // round here instead of blocking that long for every remaining row.
                    break;
                }
            }
        } finally {
            producer.flush(); // returns once every record sent so far is acknowledged or failed
        }
        List<Long> acknowledged = outcomes.stream().filter(o -> o.error == null).map(o -> o.id).toList();
        List<Refused> refused = outcomes.stream().filter(o -> o.error != null && Refusals.isPermanent(o.error))
                .map(o -> new Refused(o.id, o.error)).toList();
        Optional<KafkaException> failure = outcomes.stream().filter(o -> o.error != null && !Refusals.isPermanent(o.error)).findFirst()
                .map(failed -> failed.error instanceof KafkaException kafka ? kafka : new KafkaException(failed.error));
        int unsent = rows.size() - acknowledged.size() - refused.size();
        if (failure.isEmpty() && unsent > 0) {
            failure = Optional.of(new KafkaException(unsent + " records were not sent"));
        }
        return new Sent(acknowledged, refused, failure);
    }

    private static final class SendOutcome {
        private final long id;
        private volatile Exception error;

        SendOutcome(long id) {
            this.id = id;
        }
    }
}
