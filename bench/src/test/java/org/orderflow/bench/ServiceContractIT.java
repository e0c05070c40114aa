package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
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

            assertThat(TestHttp.get(service.port(), "/metrics").body()).contains("orderflow_readiness_check{check=\"consumer\",service=\"svc-" + name + "\"} 1.0");
        }
    }
}
