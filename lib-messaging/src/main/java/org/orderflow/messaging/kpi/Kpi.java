package org.orderflow.messaging.kpi;

/** One measured value of one interval, e.g. ({@code events_processed}, {@code count}, 1234). */
public record Kpi(String kpiName, String metric, double value) {
}
