package org.orderflow.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** POSTs that placed no order, counted by what went wrong: the status svc-order answered with, or the client's exception. */
final class PostErrors {
    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

    void answered(int status) {
        count(status == 201 ? "201 without an order id" : "HTTP " + status);
    }

    void failed(Exception failure) {
        count(failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage()));
    }

    int total() {
        return byKind.values().stream().mapToInt(LongAdder::intValue).sum();
    }

    Map<String, Integer> byKind() {
        Map<String, Integer> counts = new TreeMap<>();
        byKind.forEach((kind, count) -> counts.put(kind, count.intValue()));
        return counts;
    }

    private void count(String kind) {
        byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
}
