package org.orderflow.service.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.orderflow.service.config.CommonConfig;

/**
 * A service's meters and traces. Meters: one Prometheus registry, tagged {@code service}, with the JVM's, the
 * process's, and everything the service and its libraries register (pool, HTTP, consumer, outbox, Kafka clients,
 * business counters); {@link #scrape} renders it for {@code GET /metrics}. Traces: the OpenTelemetry SDK, configured
 * by the standard OTEL_* variables; spans are exported over OTLP only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or
 * {@code OTEL_TRACES_EXPORTER}) says where; otherwise they are not sampled, and a span is only its ids (for the logs
 * and the next hop).
 */
public final class Observability implements AutoCloseable {
    /** The W3C trace context response header (Trace Context Level 2): the trace the request was served in. */
    public static final String TRACE_RESPONSE = "traceresponse";
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    /**
     * The SDK warns, through java.util.logging and so outside the service's log format, at every start that the
     * service.instance.id set below replaces the random one of its own "service.instance" entity: that is the intent.
     * Held here because java.util.logging keeps its loggers weakly, and would forget the level.
     */
    private static final java.util.logging.Logger RESOURCE_BUILDER_LOG = quiet("io.opentelemetry.sdk.resources.ResourceBuilder");

    private final PrometheusMeterRegistry registry;
    private final OpenTelemetrySdk openTelemetry;
    private final JvmGcMetrics gcMetrics;

    private Observability(PrometheusMeterRegistry registry, OpenTelemetrySdk openTelemetry, JvmGcMetrics gcMetrics) {
        this.registry = registry;
        this.openTelemetry = openTelemetry;
        this.gcMetrics = gcMetrics;
    }

    /** The registry with the JVM's and the process's meters, and the SDK; {@link #close()} flushes and stops them. */
    public static Observability start(CommonConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", config.serviceName());
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        for (MeterBinder binder : List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(), gcMetrics, new JvmThreadMetrics(),
                new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())) {
            binder.bindTo(registry);
        }
        return new Observability(registry, openTelemetry(config), gcMetrics);
    }

    /**
     * The SDK from the OTEL_* variables of the service's environment (the standard ones: endpoint, protocol, headers,
     * sampler, resource attributes...), named after the service and instance; no metrics or logs exported over OTLP
     * (Prometheus and stdout have them).
     */
    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.SEVERE);
        return logger;
    }

    private static OpenTelemetrySdk openTelemetry(CommonConfig config) {
        Map<String, String> env = config.openTelemetryEnv();
        boolean toOtlp = env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        boolean exported = toOtlp || !env.getOrDefault("OTEL_TRACES_EXPORTER", "none").equals("none");
        Map<String, String> defaults = Map.of(
                "otel.service.name", config.serviceName(),
                "otel.traces.exporter", toOtlp ? "otlp" : "none",
                // Nothing exported, nothing recorded: a span not sampled is only its ids (for logs and the next hop),
                // without the attributes and the object a recorded span costs. Exported, every trace is kept.
                "otel.traces.sampler", exported ? "parentbased_always_on" : "always_off",
                // The SDK's default is gRPC, which needs OkHttp or a gRPC channel; the JDK's HTTP client speaks OTLP/HTTP.
                "otel.exporter.otlp.protocol", CommonConfig.OTLP_PROTOCOL,
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none");
        Map<String, String> given = new HashMap<>();
        env.forEach((name, value) -> given.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(properties -> given) // the environment the service was given wins, in tests too
                .addTracerProviderCustomizer((tracers, properties) -> tracers.addSpanProcessor(new RecordIds()))
                .addResourceCustomizer((resource, properties) ->
                        resource.merge(Resource.create(Attributes.of(SERVICE_INSTANCE_ID, config.processName()))))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    /**
     * Does nothing with spans. The SDK without any processor (no exporter) hands out spans that only pass their
     * parent's context on: an HTTP request without a {@code traceparent} would start no trace, its events would carry
     * none, and logs no trace id. With one, every span gets its own ids, sampled or not, which is all the pipeline
     * needs when nothing is exported.
     */
    private static final class RecordIds implements SpanProcessor {
        @Override
        public void onStart(io.opentelemetry.context.Context parent, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** The registry in the format the {@code Accept} header asks for: OpenMetrics when it names it, else Prometheus text. */
    public Scrape scrape(String accept) {
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? OPEN_METRICS : PROMETHEUS_TEXT;
        return new Scrape(contentType, registry.scrape(contentType));
    }

    /** A rendered registry. */
    public record Scrape(String contentType, String body) {
    }

    /** Exports the spans still buffered, then stops the SDK and the meters. */
    @Override
    public void close() {
        openTelemetry.shutdown().join(5, TimeUnit.SECONDS);
        gcMetrics.close();
        registry.close();
    }
}
