package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderflow.bench.TestSystem.json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.TestHttp;
import org.orderflow.devstack.TestTokens;

/**
 * GET /orders/{id}/events over real HTTP on the five services: the history, then each change live as it is committed,
 * the end at a final status; a reconnect with Last-Event-ID gets exactly what it missed; the order's owner only.
 */
class LiveStatusIT {
    private static final String ORDER = "{\"currency\":\"EUR\",\"items\":[{\"product_id\":\"prod-789\",\"name\":\"Test Product\",\"quantity\":1,\"price\":19.99}]}";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestSystem system;

    /** One server-sent event, and when it arrived (ms after the stream was asked for). */
    record Event(String id, String name, String data, long arrivedAfterMillis) {
        String status() {
            return json(data).get("status").asText();
        }
    }

    @BeforeAll
    static void startTheSystem() {
        // Packing takes 800 ms: SHIPPED comes well after the stream opened, so it can only have come live.
        system = new TestSystem(Map.of("warehouse", Map.of("PACKING_TIME", "800ms")));
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void aStreamGivesTheHistoryThenEachChangeLiveAndEndsWhenTheOrderIsFinal() throws Exception {
        String customer = "Bearer " + TestTokens.customer("cust-live");
        String orderId = place(customer);

        List<Event> events = stream(orderId, customer, null);

        assertThat(events).extracting(Event::status).containsExactly("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED");
        assertThat(events).extracting(Event::id).containsExactly("RECEIVED", "RECEIVED,CONFIRMED",
                "RECEIVED,CONFIRMED,PICKED_AND_PACKED", "RECEIVED,CONFIRMED,PICKED_AND_PACKED,SHIPPED");
        assertThat(events).extracting(Event::name).containsOnly("status");
        assertThat(events.get(3).arrivedAfterMillis()).as("SHIPPED came live, after packing").isGreaterThan(500);
    }

    @Test
    void aReconnectWithLastEventIdGetsExactlyWhatItMissed() throws Exception {
        String customer = "Bearer " + TestTokens.customer("cust-reconnect");
        String orderId = place(customer);
        system.awaitStatus(orderId, "SHIPPED");

        List<Event> rest = stream(orderId, customer, "RECEIVED,CONFIRMED");

        assertThat(rest).extracting(Event::status).containsExactly("PICKED_AND_PACKED", "SHIPPED");
        assertThat(stream(orderId, customer, rest.get(1).id())).as("nothing twice").isEmpty();
    }

    @Test
    void onlyTheOrdersOwnerOrAnOperatorMayFollowIt() throws Exception {
        String orderId = place("Bearer " + TestTokens.customer("cust-owner"));

        assertThat(open(orderId, "Bearer " + TestTokens.customer("cust-stranger"), null).statusCode()).isEqualTo(404);
        assertThat(open(orderId, "", null).statusCode()).isEqualTo(401);
        assertThat(stream(orderId, "Bearer " + TestTokens.operator(), null)).extracting(Event::status).contains("RECEIVED");
    }

    @Test
    void aRequestThatDoesNotAcceptAnEventStreamIsToldSo() {
        String orderId = place("Bearer " + TestTokens.customer("cust-curl"));

        TestHttp.Response answer = TestHttp.get(system.port("order"), "/orders/" + orderId + "/events", Map.of("Accept", "*/*"));

        assertThat(answer.status()).isEqualTo(406);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.body()).contains("Accept: text/event-stream");
    }

    private static String place(String authorization) {
        TestHttp.Response placed = TestHttp.post(system.port("order"), "/orders", ORDER, Map.of("Authorization", authorization));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        return json(placed.body()).get("order_id").asText();
    }

    /** The events of the stream until the server ends it. */
    private static List<Event> stream(String orderId, String authorization, String lastEventId) throws Exception {
        long asked = System.nanoTime();
        HttpResponse<Stream<String>> response = open(orderId, authorization, lastEventId);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        String id = null;
        String name = null;
        String data = null;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data = line.substring(5).trim();
            } else if (line.isEmpty() && data != null) {
                events.add(new Event(id, name, data, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked)));
                id = null;
                name = null;
                data = null;
            }
        }
        return events;
    }

    private static HttpResponse<Stream<String>> open(String orderId, String authorization, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + system.port("order") + "/orders/" + orderId + "/events"))
                .timeout(Duration.ofSeconds(60)).header("Accept", "text/event-stream");
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }
}
