package org.orderflow.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.TestHttp;
import org.orderflow.service.RunningService;

class ServiceStartsIT {

    @Test
    void startsOnRealServersAppliesMigrationsAndAnswersReady() {
        Config config = Config.fromEnv(RealServers.shared().serviceEnvironment("warehouse"));

        try (RunningService service = Main.start(config, java.time.Clock.systemUTC())) {
            TestHttp.Response ready = TestHttp.get(service.port(), "/ready");

            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(TestHttp.get(service.port(), "/health").body()).contains("svc-warehouse");
        }
    }
}
