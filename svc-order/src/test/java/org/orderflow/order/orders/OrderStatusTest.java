package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderflow.order.orders.OrderStatus.CANCELLED;
import static org.orderflow.order.orders.OrderStatus.CONFIRMED;
import static org.orderflow.order.orders.OrderStatus.PICKED_AND_PACKED;
import static org.orderflow.order.orders.OrderStatus.RECEIVED;
import static org.orderflow.order.orders.OrderStatus.REJECTED;
import static org.orderflow.order.orders.OrderStatus.SHIPPED;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OrderStatusTest {

    @Test
    void statusMovesForwardThroughThePipeline() {
        assertThat(RECEIVED.canMoveTo(CONFIRMED)).isTrue();
        assertThat(CONFIRMED.canMoveTo(PICKED_AND_PACKED)).isTrue();
        assertThat(PICKED_AND_PACKED.canMoveTo(SHIPPED)).isTrue();
    }

    @Test
    void laterStageSkipsAStageWhoseEventIsLate() {
        assertThat(RECEIVED.canMoveTo(PICKED_AND_PACKED)).isTrue();
        assertThat(PICKED_AND_PACKED.canMoveTo(CONFIRMED)).isFalse();
    }

    @Test
    void aLateStepOnTheWayToShippingStillBelongsInTheHistory() {
        assertThat(PICKED_AND_PACKED.passedBy(SHIPPED)).isTrue();
        assertThat(CONFIRMED.passedBy(SHIPPED)).isTrue();
        assertThat(CONFIRMED.passedBy(PICKED_AND_PACKED)).isTrue();
        assertThat(PICKED_AND_PACKED.passedBy(PICKED_AND_PACKED)).isFalse();
        assertThat(PICKED_AND_PACKED.passedBy(CANCELLED)).isFalse(); // whether it was picked before the cancellation is unknown
        assertThat(SHIPPED.passedBy(CANCELLED)).isFalse();
    }

    @Test
    void statusNeverMovesBackOrStays() {
        assertThat(SHIPPED.canMoveTo(PICKED_AND_PACKED)).isFalse();
        assertThat(CONFIRMED.canMoveTo(RECEIVED)).isFalse();
        assertThat(CONFIRMED.canMoveTo(CONFIRMED)).isFalse();
    }

    @Test
    void statusesNotBeforeAreExactlyThoseThatMayNotMoveOn() {
        assertThat(OrderStatus.notBefore(RECEIVED)).hasSize(OrderStatus.values().length);
        assertThat(OrderStatus.notBefore(PICKED_AND_PACKED)).containsExactlyInAnyOrder("PICKED_AND_PACKED", "SHIPPED", "CANCELLED", "REJECTED");
        assertThat(OrderStatus.notBefore(CANCELLED)).containsExactlyInAnyOrder("SHIPPED", "CANCELLED", "REJECTED");
    }

    @Test
    void statusesNotPassingAStepAreAllButTheLaterStepsOfTheWayToShipping() {
        assertThat(OrderStatus.notPassing(CONFIRMED)).containsExactlyInAnyOrder("RECEIVED", "CONFIRMED", "REJECTED", "CANCELLED");
        assertThat(OrderStatus.notPassing(PICKED_AND_PACKED)).doesNotContain("SHIPPED").contains("PICKED_AND_PACKED", "CANCELLED");
        assertThat(OrderStatus.notPassing(SHIPPED)).hasSize(OrderStatus.values().length);
    }

    @Test
    void finalStatesAreNeverLeft() {
        for (OrderStatus terminal : new OrderStatus[] {SHIPPED, REJECTED, CANCELLED}) {
            assertThat(terminal.isTerminal()).isTrue();
            assertThat(Arrays.stream(OrderStatus.values()).filter(terminal::canMoveTo)).as("from %s", terminal).isEmpty();
        }
    }

    @Test
    void rejectionOnlyBeforeConfirmationAndCancellationUntilShipped() {
        assertThat(RECEIVED.canMoveTo(REJECTED)).isTrue();
        assertThat(CONFIRMED.canMoveTo(REJECTED)).isFalse();
        assertThat(RECEIVED.canMoveTo(CANCELLED)).isTrue();
        assertThat(PICKED_AND_PACKED.canMoveTo(CANCELLED)).isTrue();
        assertThat(SHIPPED.canMoveTo(CANCELLED)).isFalse();
    }
}
