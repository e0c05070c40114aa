package org.orderflow.service.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.orderflow.contract.Topics;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestKafka;
import org.orderflow.devstack.TestKafka.Received;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.Json;
import org.orderflow.service.RunningService;

/**
 * One service started as its {@code Main} does, on the shared real Kafka and PostgreSQL (a fresh database), with the
 * clock the test gives it: for each service's own integration tests. The pipeline's topics have one partition here,
 * so a record read back proves that everything sent before it was applied.
 */
public final class ServiceFixture implements AutoCloseable {
    /** How long an expected record or state may take. */
    public static final Duration WAIT = Duration.ofSeconds(30);
    /** How long to look for records that are there already, once something proved they would be by then. */
    private static final Duration ABSENCE = Duration.ofSeconds(1);

    private final TestKafka kafka;
    private final RunningService service;

    private ServiceFixture(TestKafka kafka, RunningService service) {
        this.kafka = kafka;
        this.service = service;
    }

    /**
     * Starts the service whose database is {@code <databasePrefix>_db} through {@code main} (its
     * {@code Main::start}), with {@code settings} added to the environment.
     */
    public static ServiceFixture start(String databasePrefix, Map<String, String> settings, Clock clock,
                                       BiFunction<Map<String, String>, Clock, RunningService> main) {
        RealServers servers = RealServers.shared();
        TestKafka kafka = new TestKafka(servers.kafkaBootstrapServers());
        kafka.createTopics(Topics.ALL, 1);
        Map<String, String> environment = new HashMap<>(servers.serviceEnvironment(databasePrefix));
        environment.putAll(settings);
        return new ServiceFixture(kafka, main.apply(environment, clock));
    }

    /** Sends {@code event} as another service publishes it, keyed by its order; returns its event id. */
    public String publish(String topic, String orderId, String type, Object event) {
        return publish(topic, orderId, type, UUID.randomUUID().toString(), event);
    }

    /** As {@link #publish(String, String, String, Object)}, under a given event id (the same id again: a redelivery). */
    public String publish(String topic, String orderId, String type, String eventId, Object event) {
        kafka.send(topic, orderId, json(event), headers(eventId, type));
        return eventId;
    }

    /** As {@link #publish(String, String, String, Object)}, in the trace of {@code traceparent} (W3C). */
    public void publishInTrace(String topic, String orderId, String type, String traceparent, Object event) {
        Map<String, String> headers = new HashMap<>(headers(UUID.randomUUID().toString(), type));
        headers.put(EventHeaders.TRACEPARENT, traceparent);
        kafka.send(topic, orderId, json(event), headers);
    }

    private static Map<String, String> headers(String eventId, String type) {
        return Map.of(EventHeaders.ID, eventId, EventHeaders.TYPE, type, EventHeaders.SOURCE, "a-test",
                EventHeaders.SPEC_VERSION, EventHeaders.CLOUDEVENTS_VERSION);
    }

    /** The order's records on {@code topic}, once {@code count} arrived (fewer when {@link #WAIT} passed). */
    public List<Received> read(String topic, String orderId, int count) {
        return kafka.read(topic, ofOrder(orderId), count, WAIT);
    }

    /** The order's records of {@code type} on {@code topic} (a topic may carry several types). */
    public List<Received> read(String topic, String orderId, String type, int count) {
        return kafka.read(topic, ofOrder(orderId).and(record -> type.equals(record.headers().get(EventHeaders.TYPE))), count, WAIT);
    }

    /**
     * The order's records of {@code type} on {@code topic} already there (up to {@code atMost}, read for a second): for
     * counting them once a later record proved that everything before it was applied.
     */
    public List<Received> readAlreadyThere(String topic, String orderId, String type, int atMost) {
        return kafka.read(topic, ofOrder(orderId).and(record -> type.equals(record.headers().get(EventHeaders.TYPE))), atMost, ABSENCE);
    }

    /** GET {@code path}: its JSON body, or an empty object when the answer is not 200. */
    public JsonNode get(String path) {
        TestHttp.Response response = TestHttp.get(service.port(), path);
        return response.status() == 200 ? parse(response.body()) : Json.mapper().createObjectNode();
    }

    public TestHttp.Response put(String path, String json) {
        return TestHttp.put(service.port(), path, json);
    }

    public int status(String path) {
        return TestHttp.get(service.port(), path).status();
    }

    public static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Not JSON: " + json, e);
        }
    }

    private static String json(Object event) {
        try {
            return Json.mapper().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + event, e);
        }
    }

    private static Predicate<Received> ofOrder(String orderId) {
        return record -> orderId.equals(record.key());
    }

    @Override
    public void close() {
        service.close();
    }
}
