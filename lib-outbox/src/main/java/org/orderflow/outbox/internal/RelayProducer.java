package org.orderflow.outbox.internal;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.orderflow.outbox.RelayConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's producer for one leadership: built when first needed, and replaced, never reused, after it failed or
 * refused a record (an idempotent producer that failed may be left with a sequence the broker will not accept). Its
 * client metrics are bound to the registry while it lives.
 */
final class RelayProducer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayProducer.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final RelayConfig config;
    private final String clientId;
    private Producer<String, byte[]> producer;
    private KafkaClientMetrics clientMetrics;

    RelayProducer(RelayConfig config, String clientId) {
        this.config = config;
        this.clientId = clientId;
    }

    /** The producer in use, built now if there is none. */
    Producer<String, byte[]> get() {
        if (producer == null) {
            producer = new KafkaProducer<>(config.kafkaProperties().forProducer(ProducerSettings.reliable(config.bootstrapServers(), clientId)));
            clientMetrics = new KafkaClientMetrics(producer);
            clientMetrics.bindTo(config.meterRegistry());
        }
        return producer;
    }

    /** Drops the producer in use without waiting for what it holds: the next {@link #get()} builds a new one. */
    void discard() {
        unbindMetrics();
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                log.debug("Closing a failed producer failed", e);
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        unbindMetrics();
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
    }

    private void unbindMetrics() {
        if (clientMetrics != null) {
            clientMetrics.close();
            clientMetrics = null;
        }
    }
}
