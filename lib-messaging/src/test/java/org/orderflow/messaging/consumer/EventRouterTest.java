package org.orderflow.messaging.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.consumer.EventRouter.Deduplication;
import org.orderflow.messaging.consumer.EventRouter.Handling;

class EventRouterTest {
    private static final EventHandler NOTHING = (event, context) -> { };

    @Test
    void theTableSaysForEachTypeHowItsEventsAreApplied() {
        EventRouter router = EventRouter.builder()
                .on("OrderReceived", NOTHING)
                .onAll("OrderShipped", JsonNode.class, (payloads, context) -> { })
                .deduplicatedById("OrderShipped")
                .ignore("OrderCancellationRequested")
                .build();

        assertThat(router.route("OrderReceived")).hasValueSatisfying(route -> {
            assertThat(route.handling()).isEqualTo(Handling.ONE_AT_A_TIME);
            assertThat(route.deduplication()).isEqualTo(Deduplication.INBOX);
        });
        assertThat(router.route("OrderShipped")).hasValueSatisfying(route -> {
            assertThat(route.handling()).isEqualTo(Handling.IN_BATCHES);
            assertThat(route.deduplication()).isEqualTo(Deduplication.BY_ID);
        });
        assertThat(router.route("OrderCancellationRequested")).hasValueSatisfying(route ->
                assertThat(route.handling()).isEqualTo(Handling.PASSED_OVER));
        assertThat(router.route("SomethingElse")).isEmpty();
    }

    @Test
    void aTypeHasOneRoute() {
        assertThatThrownBy(() -> EventRouter.builder().on("OrderReceived", NOTHING).ignore("OrderReceived"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OrderReceived has a route already");
    }

    @Test
    void deduplicationAndPassingOverSomeEventsRefineADeclaredHandler() {
        assertThatThrownBy(() -> EventRouter.builder().deduplicatedById("OrderShipped"))
                .hasMessageContaining("Declare the handler of OrderShipped first");
        assertThatThrownBy(() -> EventRouter.builder().ignore("OrderShipped").ignoreWhen("OrderShipped", event -> true))
                .hasMessageContaining("Declare the handler of OrderShipped first");
    }

    @Test
    void settingsThatDoNotFitTogetherAreRefusedWhenBuilt() {
        ConsumerSettings.Builder settings = ConsumerSettings.builder("localhost:9092", "svc-test", List.of("orders"));

        assertThat(settings.build().maxAttempts()).isEqualTo(ConsumerSettings.DEFAULT_MAX_ATTEMPTS);
        assertThatThrownBy(() -> settings.retries(0, Duration.ofMillis(1), Duration.ofMillis(1)).build())
                .hasMessageContaining("max attempts must be at least 1");
        assertThatThrownBy(() -> ConsumerSettings.builder("localhost:9092", "svc-test", List.of("orders"))
                .followUps(List.of("orders"), Duration.ZERO).build())
                .hasMessageContaining("either followed up or not");
        assertThatThrownBy(() -> ConsumerSettings.builder("localhost:9092", "svc-test", List.of("orders")).instanceId("a b").build())
                .hasMessageContaining("instance id");
    }
}
