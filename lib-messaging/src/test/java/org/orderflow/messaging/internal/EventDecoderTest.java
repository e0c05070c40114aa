package org.orderflow.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.IncomingEvent;

class EventDecoderTest {
    /** The payload a user types into kafka-console-producer (see the README). */
    private static final String TYPED_ORDER = """
            {"order_id":"order-1","customer_id":"cust-456","items":[{"product_id":"prod-789","name":"Test Product",\
            "quantity":2,"price":19.99}],"total":39.98,"timestamp":"2026-11-23T10:00:00Z"}""";

    private final EventDecoder decoder = new EventDecoder(new EventSchemas(), Map.of());

    @Test
    void orderTypedIntoTheConsoleProducerIsAnOrderReceivedWithAnIdDerivedFromTheOrder() {
        IncomingEvent first = decoder.decode(record("OrderReceived", null, TYPED_ORDER, Map.of()));
        IncomingEvent again = decoder.decode(record("OrderReceived", null, TYPED_ORDER, Map.of()));

        assertThat(first.type()).isEqualTo("OrderReceived");
        assertThat(first.orderId()).isEqualTo("order-1");
        assertThat(first.envelope()).isEqualTo(IncomingEvent.Envelope.BARE);
        assertThat(first.id()).isEqualTo(again.id());
    }

    @Test
    void headersWinOverWhatIsDerived() {
        IncomingEvent event = decoder.decode(record("OrderReceived", "order-1", TYPED_ORDER,
                Map.of(EventHeaders.ID, "e-42", EventHeaders.TYPE, "OrderReceived", EventHeaders.SOURCE, "svc-order",
                        EventHeaders.TIME, "2026-11-23T10:00:01Z")));

        assertThat(event.id()).isEqualTo("e-42");
        assertThat(event.source()).isEqualTo("svc-order");
        assertThat(event.time()).hasToString("2026-11-23T10:00:01Z");
    }

    @Test
    void valueThatIsNotJsonIsPoison() {
        assertThatThrownBy(() -> decoder.decode(record("OrderReceived", null, "{\"order_id\": ", Map.of())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void schemaViolationIsPoisonNamingTheField() {
        String noItems = "{\"order_id\":\"o\",\"customer_id\":\"c\",\"items\":[],\"total\":0,\"timestamp\":\"2026-11-23T10:00:00Z\"}";

        assertThatThrownBy(() -> decoder.decode(record("OrderReceived", null, noItems, Map.of())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("items");
    }

    @Test
    void unknownEventTypeIsPoison() {
        assertThatThrownBy(() -> decoder.decode(record("SomethingElse", null, "{}", Map.of())))
                .isInstanceOf(PoisonRecordException.class)
                .hasMessageContaining("no JSON Schema");
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String key, String value, Map<String, String> headers) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 0, 7, key, value.getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, headerValue) -> record.headers().add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
