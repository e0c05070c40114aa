package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderflow.bench.TestSystem.WAIT;
import static org.orderflow.bench.TestSystem.json;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.service.RunningService;

/**
 * What whoever runs the system sees of it: every service's /metrics, parsed and moving as an order flows; one trace
 * per order across the five services and the outbox hops; a real Prometheus server scraping them with the shipped
 * configuration, and promtool checking it and the alert rules. The services export their spans to the SDK's
 * in-memory exporter ({@link MemorySpanExporterProvider}).
 */
class ObservabilityIT {
    static final List<String> SERVICES = List.of("order", "inventory", "warehouse", "shipper", "notification");
    private static final Map<String, String> TRACED = Map.of("OTEL_TRACES_EXPORTER", "memory", "OTEL_BSP_SCHEDULE_DELAY", "20");
    private static TestSystem system;

    @BeforeAll
    static void startTheSystem() {
        system = new TestSystem(SERVICES.stream().collect(Collectors.toMap(Function.identity(), name -> TRACED)));
    }

    @AfterAll
    static void stopTheSystem() {
        system.close();
    }

    @Test
    void everyServiceServesPrometheusMetricsThatMoveWhenAnOrderFlows() {
        Map<String, PrometheusText> before = scrapeAll();

        String orderId = system.placedOrderId("cust-metrics", "prod-789", 1);
        system.awaitStatus(orderId, "SHIPPED");
        system.awaitNotifications(orderId, 4);

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, PrometheusText> after = scrapeAll();
            moved(before, after, "order", "orderflow_orders_total", Map.of("status", "RECEIVED"), 1);
            moved(before, after, "order", "orderflow_orders_total", Map.of("status", "SHIPPED"), 1);
            moved(before, after, "order", "http_server_requests_seconds_count", Map.of("method", "POST", "uri", "/orders", "status", "201"), 1);
            moved(before, after, "order", "orderflow_outbox_published_total", Map.of("type", "OrderReceived"), 1);
            moved(before, after, "inventory", "orderflow_consumer_records_total", Map.of("type", "OrderReceived", "outcome", "applied"), 1);
            moved(before, after, "inventory", "orderflow_stock_reservations_total", Map.of("outcome", "reserved"), 1);
            moved(before, after, "inventory", "orderflow_outbox_published_total", Map.of("type", "OrderConfirmed"), 1);
            moved(before, after, "warehouse", "orderflow_consumer_records_total", Map.of("type", "OrderConfirmed", "outcome", "applied"), 1);
            moved(before, after, "warehouse", "orderflow_outbox_published_total", Map.of("type", "OrderPickedAndPacked"), 1);
            moved(before, after, "shipper", "orderflow_consumer_records_total", Map.of("type", "OrderPickedAndPacked", "outcome", "applied"), 1);
            moved(before, after, "shipper", "orderflow_outbox_published_total", Map.of("type", "OrderShipped"), 1);
            moved(before, after, "notification", "orderflow_consumer_records_total", Map.of("type", "Notification", "outcome", "applied"), 4);
            moved(before, after, "notification", "orderflow_notifications_sent_total", Map.of("kind", "ORDER_SHIPPED"), 1);
            moved(before, after, "notification", "orderflow_consumer_latency_produced_seconds_count", Map.of("topic", "Notification"), 4);
        });
        for (String service : SERVICES) {
            PrometheusText metrics = scrape(service, Map.of());
            assertThat(metrics.names()).as(service).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                    "process_uptime_seconds", "http_server_requests_seconds_count", "hikaricp_connections_active", "hikaricp_connections_max",
                    "kafka_consumer_fetch_manager_records_consumed_total", "kafka_producer_record_send_total",
                    "orderflow_consumer_records_total", "orderflow_consumer_lag_records", "orderflow_consumer_latency_polled_seconds_bucket",
                    "orderflow_outbox_pending_rows", "orderflow_outbox_oldest_pending_age_seconds", "orderflow_outbox_parked_rows",
                    "orderflow_outbox_relay_round_seconds_bucket", "orderflow_outbox_relay_active");
            assertThat(metrics.sum("orderflow_outbox_relay_active", Map.of())).as(service + " holds the relay lock").isEqualTo(1);
            assertThat(metrics.all("orderflow_readiness_check")).as(service + " readiness checks").hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(check -> assertThat(check.value()).as(check.labels().toString()).isEqualTo(1));
            assertThat(metrics.all("jvm_memory_used_bytes")).allSatisfy(sample -> assertThat(sample.labels()).containsEntry("service", "svc-" + service));
        }
    }

    @Test
    void metricsComeAsOpenMetricsWhenTheScraperAsksForThem() {
        TestHttp.Response response = TestHttp.get(system.port("inventory"), "/metrics",
                Map.of("Accept", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5"));

        assertThat(response.contentType()).startsWith("application/openmetrics-text");
        assertThat(response.body()).contains("# TYPE orderflow_outbox_parked counter").endsWith("# EOF\n");
        assertThat(TestHttp.get(system.port("inventory"), "/metrics").contentType()).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void oneOrderPlacedOverHttpIsOneTraceThroughTheFiveServicesInPipelineOrder() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String callerSpan = HexFormat.of().formatHex(randomBytes(8));

        TestHttp.Response placed = system.placeOrder("cust-traced", "prod-789", 1, Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(placed.traceResponse()).as("the response names the caller's trace").startsWith("00-" + traceId + "-").doesNotContain(callerSpan);
        String orderId = json(placed.body()).get("order_id").asText();
        system.awaitNotifications(orderId, 4);

        // The customer's ORDER_SHIPPED notification: the last hop of the pipeline, 13 spans from the request.
        List<SpanData> path = await().atMost(WAIT).until(() -> MemorySpanExporterProvider.longestPathTo(MemorySpanExporterProvider.trace(traceId), "apply Notification"),
                longest -> longest.size() >= 13);
        List<SpanData> trace = MemorySpanExporterProvider.trace(traceId);
        assertThat(path.stream().map(MemorySpanExporterProvider::serviceOf).distinct().toList()).as("services from the request to the last hop")
                .containsExactly("svc-order", "svc-inventory", "svc-warehouse", "svc-shipper", "svc-notification");
        assertThat(path.get(0).getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(path.get(0).getName()).isEqualTo("POST /orders");
        assertThat(path.get(0).getParentSpanId()).as("the caller's span is the request's parent").isEqualTo(callerSpan);
        assertThat(path.stream().map(SpanData::getName).toList()).containsSubsequence(
                "POST /orders", "append OrderReceived", "publish OrderReceived", "apply OrderReceived",
                "append OrderConfirmed", "publish OrderConfirmed", "apply OrderConfirmed",
                "append OrderPickedAndPacked", "publish OrderPickedAndPacked", "apply OrderPickedAndPacked",
                "append Notification", "publish Notification", "apply Notification");
        Map<String, SpanData> byId = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (a, b) -> a));
        assertThat(trace).as("every span but the request's has its parent in the trace")
                .filteredOn(span -> !span.getSpanId().equals(path.get(0).getSpanId()))
                .allSatisfy(span -> assertThat(byId).containsKey(span.getParentSpanId()));
    }

    @Test
    void aRequestWithoutTraceparentStartsATraceAndTheResponseNamesIt() {
        TestHttp.Response listed = TestHttp.get(system.port("order"), "/orders?limit=1");

        assertThat(listed.traceResponse()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]");
        String traceId = listed.traceResponse().substring(3, 35);
        await().atMost(WAIT).until(() -> MemorySpanExporterProvider.trace(traceId).stream().anyMatch(span -> span.getName().equals("GET /orders")));
    }

    @Test
    void withAnOtlpEndpointASpanIsExportedOverOtlp() throws Exception {
        List<byte[]> exported = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> { // OTLP/HTTP: protobuf in, an empty protobuf answer is a success
            exported.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        Map<String, String> environment = new HashMap<>(RealServers.shared().serviceEnvironment("order"));
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort());
        environment.put("OTEL_BSP_SCHEDULE_DELAY", "50");
        try (RunningService order = TestSystem.startAlone("order", environment, Clock.systemUTC())) {
            TestHttp.Response listed = TestHttp.get(order.port(), "/orders?limit=1");
            byte[] traceId = HexFormat.of().parseHex(listed.traceResponse().substring(3, 35));

            await().atMost(WAIT).until(() -> exported.stream().anyMatch(body -> contains(body, traceId)
                    && contains(body, "svc-order".getBytes(StandardCharsets.UTF_8)) && contains(body, "GET /orders".getBytes(StandardCharsets.UTF_8))));
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void theAlertRulesAndTheDashboardNameOnlySeriesTheServicesExpose() throws Exception {
        String orderId = system.placedOrderId("cust-dashboard", "prod-789", 1);
        system.awaitNotifications(orderId, 4);
        Set<String> exposed = new HashSet<>();
        scrapeAll().values().forEach(metrics -> exposed.addAll(metrics.names()));

        for (String file : List.of("alerts.yml", "grafana-dashboard.json")) {
            Matcher series = Pattern.compile("\\b(?:orderflow|http_server|hikaricp|jvm|process|kafka)_[a-z_]+")
                    .matcher(Files.readString(RealPrometheus.CONFIG_DIR.resolve(file)));
            List<String> named = series.results().map(MatchResult::group).distinct().toList();
            assertThat(named).as(file).isNotEmpty();
            assertThat(exposed).as(file + " names only what /metrics has").containsAll(named);
        }
    }

    @Test
    void shippedPrometheusConfigAndAlertRulesPassPromtool() {
        RealPrometheus.requireInstalled();

        assertThat(RealPrometheus.promtool("check", "config", RealPrometheus.CONFIG_DIR.resolve("prometheus.yml").toString()))
                .contains("SUCCESS");
        assertThat(RealPrometheus.promtool("check", "rules", RealPrometheus.CONFIG_DIR.resolve("alerts.yml").toString()))
                .contains("SUCCESS: 8 rules found");
        assertThat(RealPrometheus.promtool("test", "rules", RealPrometheus.CONFIG_DIR.resolve("alerts_test.yml").toString()))
                .contains("SUCCESS");
    }

    @Test
    void aRealPrometheusWithTheShippedConfigScrapesEveryServiceAndFindsTheSeries() {
        RealPrometheus.requireInstalled();
        String orderId = system.placedOrderId("cust-prometheus", "prod-789", 1);
        system.awaitStatus(orderId, "SHIPPED");

        try (RealPrometheus prometheus = RealPrometheus.start(SERVICES.stream().map(system::port).toList())) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(prometheus.targetHealth()).as("every target's health").hasSize(5).containsOnly("up");
                assertThat(prometheus.query("count by (service) (orderflow_readiness_check == 1)")).as("ready services")
                        .containsOnlyKeys(SERVICES.stream().map(name -> "svc-" + name).toArray(String[]::new));
            });
            assertThat(prometheus.query("sum by (service) (orderflow_orders_total{status=\"SHIPPED\"})")).containsKey("svc-order");
            for (String series : List.of("orderflow_consumer_records_total", "orderflow_consumer_lag_records",
                    "orderflow_consumer_latency_produced_seconds_bucket", "orderflow_outbox_oldest_pending_age_seconds",
                    "orderflow_outbox_parked_rows", "hikaricp_connections_pending", "http_server_requests_seconds_count",
                    "jvm_memory_used_bytes", "kafka_consumer_fetch_manager_records_consumed_total")) {
                assertThat(prometheus.query("count by (service) (" + series + ")")).as(series).hasSize(5);
            }
            assertThat(prometheus.ruleGroups()).as("the alert rules are loaded").contains("orderflow");
        }
    }

    private static void moved(Map<String, PrometheusText> before, Map<String, PrometheusText> after, String service, String name,
                              Map<String, String> labels, int atLeast) {
        assertThat(after.get(service).sum(name, labels) - before.get(service).sum(name, labels)).as(service + " " + name + labels)
                .isGreaterThanOrEqualTo(atLeast);
    }

    private static Map<String, PrometheusText> scrapeAll() {
        Map<String, PrometheusText> all = new LinkedHashMap<>();
        SERVICES.forEach(service -> all.put(service, scrape(service, Map.of())));
        return all;
    }

    private static PrometheusText scrape(String service, Map<String, String> headers) {
        TestHttp.Response response = TestHttp.get(system.port(service), "/metrics", headers);
        assertThat(response.status()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    /** Whether {@code part} occurs in {@code body}, byte for byte (ISO-8859-1 maps each byte to one char). */
    private static boolean contains(byte[] body, byte[] part) {
        return new String(body, StandardCharsets.ISO_8859_1).contains(new String(part, StandardCharsets.ISO_8859_1));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
