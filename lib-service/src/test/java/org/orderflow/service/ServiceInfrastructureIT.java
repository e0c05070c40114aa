package org.orderflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.service.config.CommonConfig;
import org.orderflow.service.config.Env;
import org.orderflow.service.config.ServiceDefaults;
import org.orderflow.service.http.Api;
import org.orderflow.service.http.HttpApi;
import org.orderflow.service.http.ProblemException;
import org.orderflow.service.observability.Observability;

class ServiceInfrastructureIT {
    private final RealServers servers = RealServers.shared();

    @Test
    void readyAnswers200WhenDatabaseAndKafkaAnswer() {
        try (RunningService service = start(servers.serviceEnvironment("ready"))) {
            TestHttp.Response health = TestHttp.get(service.port(), "/health");
            TestHttp.Response ready = TestHttp.get(service.port(), "/ready");

            assertThat(health.status()).isEqualTo(200);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\":\"UP\"", "\"kafka\":\"UP\"");
        }
    }

    @Test
    void readyAnswers503NamingKafkaWhenKafkaIsUnreachable() {
        Map<String, String> environment = new HashMap<>(servers.serviceEnvironment("nokafka"));
        environment.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:1");

        try (RunningService service = start(environment)) {
            TestHttp.Response ready = TestHttp.get(service.port(), "/ready");

            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            assertThat(ready.body()).contains("\"title\":\"Not ready\"", "kafka DOWN").doesNotContain("database DOWN");
        }
    }

    @Test
    void errorsAreProblemJson() {
        try (RunningService service = start(servers.serviceEnvironment("problems"))) {
            TestHttp.Response unknownRoute = TestHttp.get(service.port(), "/no-such-thing");
            TestHttp.Response thrown = TestHttp.get(service.port(), "/missing");
            TestHttp.Response badJson = TestHttp.post(service.port(), "/echo", "{not json", Map.of());
            TestHttp.Response busy = TestHttp.get(service.port(), "/busy");

            assertThat(unknownRoute.status()).isEqualTo(404);
            assertThat(unknownRoute.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            assertThat(thrown.status()).isEqualTo(404);
            assertThat(thrown.body()).contains("\"detail\":\"no such widget\"", "\"instance\":\"/missing\"");
            assertThat(badJson.status()).isEqualTo(400);
            assertThat(badJson.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.retryAfter()).isEqualTo("2");
            assertThat(busy.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            assertThat(thrown.retryAfter()).isEmpty();
        }
    }

    @Test
    void oversizedBodiesAndHeadersAreRefusedWithProblemsAndEveryAnswerCarriesTheSecurityHeaders() {
        Map<String, String> environment = new HashMap<>(servers.serviceEnvironment("limits"));
        environment.putAll(Map.of("HTTP_MAX_BODY_BYTES", "1024", "HTTP_MAX_HEADER_BYTES", "2048", "HTTP_HOST", "127.0.0.1"));

        try (RunningService service = start(environment)) {
            TestHttp.Response body = TestHttp.post(service.port(), "/echo", "{\"x\":\"" + "a".repeat(2000) + "\"}", Map.of());
            TestHttp.Response headers = TestHttp.get(service.port(), "/health", Map.of("X-Padding", "a".repeat(4000)));
            TestHttp.Response fitting = TestHttp.post(service.port(), "/echo", "{\"x\":\"" + "a".repeat(900) + "\"}", Map.of());
            TestHttp.Response missing = TestHttp.get(service.port(), "/missing");

            assertThat(body.status()).isEqualTo(413);
            assertThat(body.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            assertThat(headers.status()).isEqualTo(431);
            assertThat(headers.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            assertThat(headers.body()).contains("\"status\":431");
            assertThat(fitting.status()).isEqualTo(200);
            for (TestHttp.Response response : List.of(fitting, missing, body)) {
                assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
                assertThat(response.header("Cache-Control")).isEqualTo("no-store");
                assertThat(response.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
                assertThat(response.header("Server")).as("no version to look up exploits for").isEmpty();
            }
        }
    }

    @Test
    void probesAndMetricsMoveToTheManagementPortAndOffTheApis() {
        Map<String, String> environment = new HashMap<>(servers.serviceEnvironment("management"));
        environment.put("MANAGEMENT_PORT", "0");
        try (RunningService service = start(environment)) {
            int api = service.port();
            int management = service.managementPort();

            assertThat(management).isNotEqualTo(api);
            for (String probe : List.of("/health", "/ready", "/metrics")) {
                assertThat(TestHttp.get(management, probe, Map.of("Authorization", "")).status()).as(probe).isEqualTo(200);
                TestHttp.Response onTheApi = TestHttp.get(api, probe);
                assertThat(onTheApi.status()).as(probe + " on the API's port").isEqualTo(404);
                assertThat(onTheApi.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            }
            assertThat(TestHttp.get(management, "/missing").status()).as("the API is not on the management port").isEqualTo(404);
            assertThat(TestHttp.get(management, "/health").header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(TestHttp.get(api, "/missing").body()).contains("no such widget");
        }
    }

    @Test
    void eachMigrationLocationKeepsItsOwnHistory() {
        Map<String, String> environment = servers.serviceEnvironment("migrations");
        try (Lifecycle lifecycle = new Lifecycle()) {
            Infrastructure infrastructure = Infrastructure.open(config(environment), lifecycle, new SimpleMeterRegistry(), "db/alpha", "db/beta");
            Jdbi jdbi = infrastructure.jdbi();

            List<String> tables = jdbi.withHandle(h -> h.createQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
                    .mapTo(String.class).list());

            assertThat(tables).contains("alpha", "beta", "schema_history_alpha", "schema_history_beta");
        }
    }

    private static RunningService start(Map<String, String> environment) {
        CommonConfig config = config(environment);
        Lifecycle lifecycle = new Lifecycle();
        Observability observability = lifecycle.started("observability", Observability.start(config));
        Infrastructure infrastructure = Infrastructure.open(config, lifecycle, observability.registry(), "db/alpha");
        Api http = HttpApi.create(config, observability, infrastructure.readinessChecks(), routes -> {
            routes.get("/missing", ctx -> {
                throw ProblemException.notFound("no such widget");
            });
            routes.get("/busy", ctx -> {
                throw ProblemException.busy("Busy", "try again", Duration.ofSeconds(2));
            });
            routes.post("/echo", ctx -> ctx.json(ctx.bodyAsClass(Map.class)));
        });
        return RunningService.serve(http, config.http(), lifecycle);
    }

    private static CommonConfig config(Map<String, String> environment) {
        return CommonConfig.fromEnv(Env.of(environment), ServiceDefaults.of("svc-test", 0, "test"));
    }
}
