package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.service.RunningService;
import org.orderflow.service.http.HttpApi;
import org.orderflow.service.http.OpenApiDocument;

/** What every service promises, checked on each one started alone on the real servers. */
class ServiceContractIT {

    @ParameterizedTest
    @ValueSource(strings = {"order", "inventory", "warehouse", "shipper", "notification"})
    void startsOnRealServersAppliesItsMigrationsAndAnswersAsEveryServiceDoes(String name) {
        try (RunningService service = TestSystem.startAlone(name, RealServers.shared().serviceEnvironment(name), Clock.systemUTC())) {
            TestHttp.Response ready = TestHttp.get(service.port(), "/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"consumer\"", "\"outbox\"", "\"database\"", "\"kafka\"");

            assertThat(TestHttp.get(service.port(), "/health").body()).contains("svc-" + name);

            TestHttp.Response openApi = TestHttp.get(service.port(), "/openapi.json");
            assertThat(openApi.status()).isEqualTo(200);
            assertThat(service.operations()).as("routes as documented").containsExactlyInAnyOrderElementsOf(OpenApiDocument.operations("svc-" + name));

            TestHttp.Response unknown = TestHttp.get(service.port(), "/no-such-route");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.contentType()).startsWith(HttpApi.PROBLEM_JSON);
            assertThat(unknown.traceResponse()).as("a trace of its own, not sampled: nothing exports")
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]").doesNotContain("00000000000000000000000000000000");

            assertTheDocumentIsBrowsableWithoutAToken(service.port());

            assertThat(TestHttp.get(service.port(), "/metrics").body()).contains("orderflow_readiness_check{check=\"consumer\",service=\"svc-" + name + "\"} 1.0");
        }
    }

    /** /docs is Swagger UI: the page, its script and each file it names answer without a token; other versions do not. */
    private static void assertTheDocumentIsBrowsableWithoutAToken(int port) {
        Map<String, String> noToken = Map.of("Authorization", "");
        TestHttp.Response page = TestHttp.get(port, "/docs", noToken);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").doesNotContain("unsafe-eval");
        Matcher linked = Pattern.compile("(?:src|href)=\"(/docs/[^\"]+)\"").matcher(page.body());
        List<String> files = new ArrayList<>();
        while (linked.find()) {
            files.add(linked.group(1));
        }
        assertThat(files).contains("/docs/start.js").anyMatch(file -> file.matches("/docs/swagger-ui-[0-9.]+/swagger-ui-bundle.js"));
        for (String file : files) {
            TestHttp.Response asset = TestHttp.get(port, file, noToken);
            assertThat(asset.status()).as(file).isEqualTo(200);
            assertThat(asset.body()).as(file).isNotEmpty();
        }
        String bundle = files.stream().filter(file -> file.endsWith("/swagger-ui-bundle.js")).findFirst().orElseThrow();
        assertThat(TestHttp.get(port, bundle, noToken).header("Cache-Control")).contains("immutable");
        assertThat(TestHttp.get(port, "/docs/swagger-ui-0.0.1/swagger-ui-bundle.js", noToken).status()).isEqualTo(404);
        assertThat(TestHttp.get(port, bundle.replace("swagger-ui-bundle.js", "index.html"), noToken).status()).isEqualTo(404);
    }
}
