package org.orderflow.bench;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OTEL_TRACES_EXPORTER=memory}: the services of a test export their spans, through the SDK's own batching, to
 * the one in-memory store {@link #SPANS} the test reads (with the queries below). A service that stops does not stop
 * the store.
 */
public final class MemorySpanExporterProvider implements ConfigurableSpanExporterProvider {
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @Override
    public String getName() {
        return "memory";
    }

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return SPANS.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }

    /** The spans of one trace exported so far. */
    static List<SpanData> trace(String traceId) {
        return SPANS.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    /** The longest chain of parent links in {@code trace} from its root down to a span named {@code leafName}. */
    static List<SpanData> longestPathTo(List<SpanData> trace, String leafName) {
        Map<String, SpanData> byId = new LinkedHashMap<>();
        trace.forEach(span -> byId.putIfAbsent(span.getSpanId(), span));
        List<SpanData> longest = List.of();
        for (SpanData leaf : trace.stream().filter(span -> span.getName().equals(leafName)).toList()) {
            List<SpanData> path = new ArrayList<>();
            for (SpanData span = leaf; span != null; span = byId.get(span.getParentSpanId())) {
                path.add(0, span);
            }
            if (path.size() > longest.size()) {
                longest = path;
            }
        }
        return longest;
    }

    /** The service that recorded the span: its resource's service.name. */
    static String serviceOf(SpanData span) {
        return span.getResource().getAttribute(AttributeKey.stringKey("service.name"));
    }
}
