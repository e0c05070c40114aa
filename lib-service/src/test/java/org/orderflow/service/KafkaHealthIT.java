package org.orderflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orderflow.devstack.RealServers;
import org.orderflow.outbox.KafkaClientProperties;

class KafkaHealthIT {

    @Test
    void reachableClusterHasNoProblem() {
        try (KafkaHealth health = new KafkaHealth(RealServers.shared().kafkaBootstrapServers(), KafkaClientProperties.none(), "test")) {
            assertThat(health.problem()).isEmpty();
        }
    }

    @Test
    void unreachableClusterIsReportedAsAProblem() {
        try (KafkaHealth health = new KafkaHealth("localhost:1", KafkaClientProperties.none(), "test")) {
            assertThat(health.problem()).hasValueSatisfying(reason -> assertThat(reason).contains("cannot reach Kafka"));
        }
    }
}
