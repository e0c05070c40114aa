package org.orderflow.order.ops;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.orderflow.messaging.Printable;
import org.orderflow.messaging.dlq.DeadLetter;
import org.orderflow.messaging.dlq.DeadLetterQueue;
import org.orderflow.service.http.ApiRoutes;
import org.orderflow.service.http.Input;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;

/**
 * The dead-letter topic for operators over HTTP, as `orderflow dlq` has it on the command line: the latest dead letters,
 * one in full, and a replay to its original topic (which its consumer applies once, however often it is replayed).
 * Each request reads the topic with a consumer of its own, without a group, and closes it: operators' requests are few.
 */
final class DeadLetterRoutes {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final Supplier<DeadLetterQueue> queues;

    DeadLetterRoutes(Supplier<DeadLetterQueue> queues) {
        this.queues = queues;
    }

    void register(ApiRoutes operator) {
        operator.get("/admin/dead-letters", this::latest);
        operator.get("/admin/dead-letters/{id}", ctx -> {
            try (DeadLetterQueue queue = queues.get()) {
                ctx.json(DeadLetterView.of(find(queue, ctx.pathParam("id"))));
            }
        });
        operator.post("/admin/dead-letters/{id}/replay", this::replay);
    }

    private void latest(Context ctx) {
        int limit = Input.queryNumber(ctx, "limit", DEFAULT_LIMIT, MAX_LIMIT);
        try (DeadLetterQueue queue = queues.get()) {
            ctx.json(Map.of("dead_letters", queue.readLatest(limit).stream().map(DeadLetterView::of).toList()));
        }
    }

    private void replay(Context ctx) throws Exception {
        try (DeadLetterQueue queue = queues.get()) {
            DeadLetter deadLetter = find(queue, ctx.pathParam("id"));
            if (deadLetter.isMinimal() || deadLetter.originalTopic().isEmpty()) {
                throw ProblemException.conflict("Dead letter " + deadLetter.id() + " is minimal (its original could not be stored): it cannot be"
                        + " replayed; read it at " + deadLetter.from() + " while Kafka keeps it");
            }
            RecordMetadata sent = queue.replay(deadLetter);
            ctx.json(new Replayed(deadLetter.id(), sent.topic(), sent.partition(), sent.offset()));
        }
    }

    private static DeadLetter find(DeadLetterQueue queue, String id) {
        if (DeadLetter.position(id).isEmpty()) {
            throw ProblemException.badRequest("Invalid path parameter 'id'",
                    List.of(new Problem.FieldError("id", "must be a dead letter's id, <partition>@<offset>")));
        }
        return queue.read(id).orElseThrow(() -> ProblemException.notFound("No dead letter " + id + " (never written, or Kafka no longer keeps it)"));
    }

    /** Where a replayed dead letter's original went. */
    record Replayed(String id, String topic, int partition, long offset) {
    }

    /**
     * A dead letter as a person reads it.
     *
     * @param writtenAt  when the runtime wrote it to the dead-letter topic
     * @param from       where the original was: topic-partition@offset
     * @param error      the failure's class and message
     * @param replayable false for a minimal dead letter, whose original could not be stored
     * @param context    every dlq_* header
     * @param headers    the original's headers, as text
     * @param payload    the original's value, JSON pretty-printed, else text or hex
     */
    record DeadLetterView(String id, Instant writtenAt, String service, String from, String error, boolean replayable, String key,
                          Map<String, String> context, Map<String, String> headers, String payload) {
        static DeadLetterView of(DeadLetter d) {
            Map<String, String> headers = new LinkedHashMap<>();
            d.original().forEach(header -> headers.put(header.key(), Printable.text(header.value())));
            return new DeadLetterView(d.id(), Instant.ofEpochMilli(d.timestamp()), d.service(), d.from(), d.error(), !d.isMinimal() && !d.originalTopic().isEmpty(), Printable.text(d.key()), d.context(), headers, Printable.payload(d.value()));
        }
    }
}
