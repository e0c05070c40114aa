package org.orderflow.outbox.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer settings of every record the system publishes: durable, ordered, batched. Public for the benchmarks,
 * which load topics the way the relay sends; not part of the outbox's contract.
 */
public final class ProducerSettings {
    private ProducerSettings() {
    }

    public static Map<String, Object> reliable(String bootstrapServers, String clientId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // Acknowledged only once every in-sync replica has the record: an acknowledged row may be deleted.
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        // Retries never duplicate or reorder records within a partition, so per-key order survives broker hiccups.
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // No compression: a relay round at steady load is a record or two per partition, which lz4 hardly shrinks,
        // while the broker and every consumer must decompress each batch to read it. At 100 orders/s on the 2-core
        // stack, end-to-end p50 went from 199 to 166 ms without it (docs/performance.md).
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // A relay round is sent and flushed at once; the small linger only groups records of concurrent sends.
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        // Fail a send within seconds when the cluster is away, so the relay backs off instead of hanging for 60 s.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        return settings;
    }
}
