package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.orderflow.bench.TestSystem.WAIT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orderflow.devstack.LocalKafka;
import org.orderflow.devstack.RealServers;
import org.orderflow.devstack.SecureListener;
import org.orderflow.devstack.TestHttp;

/**
 * The five services on a cluster that requires what production clusters do: TLS (a certificate the clients must
 * trust) and SCRAM-SHA-512 users. Each service gets the security settings as a deployment gives them, in KAFKA_*
 * variables, the password in a file; the services' producers, consumers and admin clients all use them, as an order
 * through the whole pipeline and every /ready show.
 */
class SecuredKafkaIT {
    private static final String USER = "orderflow";
    private static final String PASSWORD = UUID.randomUUID().toString();
    @TempDir
    static Path secrets;
    private static LocalKafka kafka;
    private static SecureListener listener;
    private static TestSystem system;

    @BeforeAll
    static void startTheSystemOnASecuredCluster() throws IOException {
        kafka = RealServers.dedicatedSecureKafka(USER, PASSWORD);
        listener = kafka.secureListener().orElseThrow();
        Path jaas = Files.writeString(secrets.resolve("kafka-jaas.conf"), SecureListener.jaasConfig(USER, PASSWORD) + "\n");
        Map<String, String> clientSettings = listener.clientEnvironment(jaas);
        system = new TestSystem(kafka.bootstrapServers(),
                ObservabilityIT.SERVICES.stream().collect(Collectors.toMap(Function.identity(), name -> clientSettings)));
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void anOrderFlowsThroughEveryServiceOverSaslSsl() {
        String orderId = system.placedOrderId("cust-secured", "prod-789", 1);

        system.awaitStatus(orderId, "SHIPPED");
        assertThat(system.awaitNotifications(orderId, 4)).contains("ORDER_SHIPPED");
        await().atMost(WAIT).untilAsserted(() -> system.services().forEach(service -> {
            TestHttp.Response ready = TestHttp.get(service.port(), "/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        }));
    }

    @Test
    void theListenerRefusesAWrongPassword() {
        try (Admin admin = Admin.create(listener.clientProperties(USER, "not-" + PASSWORD))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }
}
