package org.orderflow.contract;

import java.util.List;

/** The topics of the pipeline. Names keep the original CamelCase so existing tools and scripts work unchanged. */
public final class Topics {
    public static final String ORDER_RECEIVED = "OrderReceived";
    public static final String ORDER_CONFIRMED = "OrderConfirmed";
    public static final String ORDER_REJECTED = "OrderRejected";
    public static final String ORDER_PICKED_AND_PACKED = "OrderPickedAndPacked";
    public static final String ORDER_SHIPPED = "OrderShipped";
    public static final String ORDER_CANCELLED = "OrderCancelled";
    public static final String NOTIFICATION = "Notification";
    /** Where the runtime sends what cannot be applied (lib-messaging's {@code DeadLetter.TOPIC}). */
    public static final String DEAD_LETTER_QUEUE = "DeadLetterQueue";
    /** Where the runtime publishes KPI events (lib-messaging's {@code KpiReporter.TOPIC}). */
    public static final String KPIS = "KPIs";

    /** Every topic, as scripts/init-kafka.sh creates them. */
    public static final List<String> ALL = List.of(ORDER_RECEIVED, ORDER_CONFIRMED, ORDER_REJECTED, ORDER_PICKED_AND_PACKED,
            ORDER_SHIPPED, ORDER_CANCELLED, NOTIFICATION, DEAD_LETTER_QUEUE, KPIS);

    private Topics() {
    }
}
