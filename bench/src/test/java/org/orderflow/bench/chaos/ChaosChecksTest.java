package org.orderflow.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosChecksTest {
    @Test
    void aHistoryStepByStepToItsStatusFollowsThePipeline() {
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED"), "SHIPPED")).isTrue();
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "REJECTED"), "REJECTED")).isTrue();
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "CANCELLED"), "CANCELLED")).isTrue();
    }

    @Test
    void aCancellationDecidedWhileTheWarehousePackedFollowsThePipeline() {
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "CONFIRMED", "CANCELLED", "PICKED_AND_PACKED"), "CANCELLED")).isTrue();
        // its confirmation came after the cancellation: svc-order leaves such a step out
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "PICKED_AND_PACKED", "CANCELLED"), "CANCELLED")).isTrue();
    }

    @Test
    void aStepTwiceSkippedOrBackwardsOrCancelledAndShippedDoesNot() {
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "CONFIRMED", "CONFIRMED", "PICKED_AND_PACKED"), "PICKED_AND_PACKED")).isFalse();
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "PICKED_AND_PACKED", "SHIPPED"), "SHIPPED")).isFalse();
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "PICKED_AND_PACKED", "CONFIRMED", "SHIPPED"), "SHIPPED")).isFalse();
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "CONFIRMED", "PICKED_AND_PACKED", "SHIPPED", "CANCELLED"), "CANCELLED")).isFalse();
        assertThat(ChaosChecks.followsThePipeline(List.of("RECEIVED", "CONFIRMED"), "SHIPPED")).isFalse();
    }
}
