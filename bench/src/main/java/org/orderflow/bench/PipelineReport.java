package org.orderflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.orderflow.messaging.Json;

/** Writes a run's results as JSON and as a self-contained HTML page charting latency percentiles against rate. */
final class PipelineReport {
    private PipelineReport() {
    }

    static Path write(Path directory, Map<String, Object> settings, List<PipelineBenchmark.StepResult> steps) throws IOException {
        Files.createDirectories(directory);
        String stamp = Instant.now().toString().replace(":", "").replace(".", "");
        Path json = directory.resolve("pipeline-" + stamp + ".json");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PipelineBenchmark.StepResult step : steps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target_rate", step.targetRate());
            row.put("seconds", step.seconds());
            row.put("sent", step.sent());
            row.put("accepted", step.accepted());
            row.put("errors", step.errors());
            row.put("error_kinds", step.errorKinds());
            row.put("send_rate", step.sendRate());
            row.put("shipped_per_second", step.shippedPerSecond());
            row.put("last_shipped_after_last_post_seconds", Double.isNaN(step.shippedAfterLastPost()) ? null : step.shippedAfterLastPost());
            row.put("not_finished_after_drain", step.unfinished());
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("post_answered", percentiles(step.post()));
            step.stages().forEach((stage, histogram) -> latency.put(stage.name().toLowerCase(), percentiles(histogram)));
            latency.put("shipped_live_from_decision", percentiles(step.live().live()));
            row.put("latency_ms", latency);
            row.put("live_followers", Map.of("followed", step.live().followed(), "live", step.live().live().getTotalCount(),
                    "shipped_before_stream_opened", step.live().inHistory(), "failed", step.live().failures()));
            row.put("cpu_seconds", step.cpuSeconds());
            rows.add(row);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("benchmark", "pipeline");
        document.put("settings", settings);
        document.put("finished_at", Instant.now().toString());
        document.put("steps", rows);
        Files.writeString(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document));
        Files.writeString(directory.resolve(json.getFileName().toString().replace(".json", ".html")), html(steps));
        return json;
    }

    private static Map<String, Double> percentiles(Histogram histogram) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("p50", histogram.getValueAtPercentile(50) / 1000.0);
        values.put("p95", histogram.getValueAtPercentile(95) / 1000.0);
        values.put("p99", histogram.getValueAtPercentile(99) / 1000.0);
        values.put("max", histogram.getMaxValue() / 1000.0);
        return values;
    }

    /** An SVG line chart: SHIPPED latency p50, p95, p99 (ms) against the target rate. */
    private static String html(List<PipelineBenchmark.StepResult> steps) {
        int width = 800;
        int height = 400;
        int margin = 60;
        double maxRate = steps.stream().mapToInt(PipelineBenchmark.StepResult::targetRate).max().orElse(1);
        double maxLatency = Math.max(1, steps.stream()
                .mapToDouble(s -> s.stages().get(StageTracker.Stage.SHIPPED).getValueAtPercentile(99) / 1000.0).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns='http://www.w3.org/2000/svg' width='").append(width).append("' height='").append(height).append("'>");
        svg.append("<line x1='").append(margin).append("' y1='").append(height - margin).append("' x2='").append(width - 20)
                .append("' y2='").append(height - margin).append("' stroke='black'/>");
        svg.append("<line x1='").append(margin).append("' y1='20' x2='").append(margin).append("' y2='").append(height - margin)
                .append("' stroke='black'/>");
        svg.append("<text x='").append(width / 2).append("' y='").append(height - 15).append("' text-anchor='middle'>orders/s</text>");
        svg.append("<text x='15' y='").append(height / 2).append("' transform='rotate(-90 15 ").append(height / 2)
                .append(")' text-anchor='middle'>POST to SHIPPED (ms)</text>");
        svg.append("<text x='").append(margin - 5).append("' y='25' text-anchor='end'>").append(String.format("%.0f", maxLatency)).append("</text>");
        svg.append("<text x='").append(width - 20).append("' y='").append(height - margin + 20).append("' text-anchor='end'>")
                .append(String.format("%.0f", maxRate)).append("</text>");
        String[] colours = {"#2a7", "#e90", "#d33"};
        double[] percentiles = {50, 95, 99};
        for (int line = 0; line < percentiles.length; line++) {
            StringBuilder points = new StringBuilder();
            for (PipelineBenchmark.StepResult step : steps) {
                double x = margin + (width - 20 - margin) * step.targetRate() / maxRate;
                double ms = step.stages().get(StageTracker.Stage.SHIPPED).getValueAtPercentile(percentiles[line]) / 1000.0;
                double y = (height - margin) - (height - margin - 20) * ms / maxLatency;
                points.append(String.format("%.1f,%.1f ", x, y));
            }
            svg.append("<polyline fill='none' stroke-width='2' stroke='").append(colours[line]).append("' points='").append(points).append("'/>");
            svg.append("<text x='").append(width - 120).append("' y='").append(40 + 18 * line).append("' fill='").append(colours[line])
                    .append("'>p").append((int) percentiles[line]).append("</text>");
        }
        svg.append("</svg>");
        StringBuilder table = new StringBuilder("<table border='1' cellpadding='4'><tr><th>rate</th><th>shipped/s</th><th>errors</th>"
                + "<th>unfinished</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>");
        for (PipelineBenchmark.StepResult step : steps) {
            Histogram shipped = step.stages().get(StageTracker.Stage.SHIPPED);
            table.append(String.format("<tr><td>%d</td><td>%.0f</td><td>%d</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>",
                    step.targetRate(), step.shippedPerSecond(), step.errors(), step.unfinished(), shipped.getValueAtPercentile(50) / 1000.0,
                    shipped.getValueAtPercentile(95) / 1000.0, shipped.getValueAtPercentile(99) / 1000.0, shipped.getMaxValue() / 1000.0));
        }
        table.append("</table>");
        return "<!doctype html><html><head><meta charset='utf-8'><title>orderflow pipeline benchmark</title></head><body>"
                + "<h1>orderflow: POST to SHIPPED latency against rate</h1>" + svg + table + "</body></html>\n";
    }
}
