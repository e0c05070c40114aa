package org.orderflow.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.orderflow.devstack.SigningKey;

/**
 * {@code make bench}: orders through all five services of the running stack (make up), open loop: each POST is sent
 * at its scheduled time whatever the earlier ones do, and every latency is measured from that scheduled time, so a
 * slow system cannot hide its queueing (no coordinated omission). Stage times come from the pipeline's topics
 * ({@link StageTracker}), not from polling orders over HTTP.
 *
 * <p>Modes (BENCH_MODE): {@code rate} holds BENCH_RATE orders/s (100) for BENCH_SECONDS (60); {@code ramp} steps from
 * BENCH_RAMP_FROM (100) to BENCH_RAMP_TO (1500) by BENCH_RAMP_STEP (100), BENCH_STEP_SECONDS (15) each, letting the
 * pipeline drain between steps. Load at BENCH_WARMUP_RATE (300) comes first and is not measured: for
 * BENCH_WARMUP_SECONDS (30), then in rounds of 30 s until the services' JIT compilers have settled (below 5 % of a
 * core in a round), for at most BENCH_WARMUP_MAX_SECONDS (600) in all.
 * POSTs go over at most BENCH_CONNECTIONS (500) keep-alive connections ({@link HttpPoster}).
 * NOTIFIED is when svc-notification stored the ORDER_SHIPPED notification ({@link NotificationTimes}). Prints progress, then per step: throughput, p50/p95/p99/max per stage, the CPU each
 * process used; writes JSON and an HTML chart to $STACK_DIR/bench/.
 *
 * <p>Longer than 250 lines because it is the benchmark's whole procedure (settings, warm-up, steps, drain, report) read
 * top to bottom; the parts that stand alone are already apart (HttpPoster, StageTracker, PipelineReport, ProcessCpu).
 */
public final class PipelineBenchmark {
    private static final Pattern ORDER_ID = Pattern.compile("\"order_id\":\"([^\"]+)\"");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int WARM_UP_ROUND_SECONDS = 30;
    private static final int WARM_UP_RATE = 300;
    /** The services' JIT compilers, together, below this share of one core: compiling no longer competes with them. */
    private static final double JIT_SETTLED = 0.05;
    private static final String BODY = """
            {"customer_id":"bench-%d","currency":"EUR","items":[{"product_id":"%s","name":"Bench item","quantity":1,"price":19.99}]}""";
    /** Products with millions in stock (demo catalogue), so that orders spread over rows as real ones do. */
    private static final List<String> PRODUCTS = List.of("prod-789", "sku-keyboard", "sku-mouse", "sku-cable");

    private final Path stackDir;
    private final NotificationTimes notifications;
    private final HttpPoster http;
    private final LiveFollower follower;

    private PipelineBenchmark(HttpPoster http, Path stackDir, NotificationTimes notifications, LiveFollower follower) {
        this.http = http;
        this.stackDir = stackDir;
        this.notifications = notifications;
        this.follower = follower;
    }

    public static void main(String[] args) throws Exception {
        String mode = setting("BENCH_MODE", "rate");
        Path stackDir = Path.of(setting("STACK_DIR", ".stack")).toAbsolutePath();
        URI orders = URI.create("http://localhost:" + setting("ORDER_PORT", "8081") + "/orders");
        String bootstrap = "localhost:" + setting("KAFKA_PORT", "9092");
        List<Integer> rates = new ArrayList<>();
        int seconds;
        if (mode.equals("ramp")) {
            for (int rate = number("BENCH_RAMP_FROM", 100); rate <= number("BENCH_RAMP_TO", 1500); rate += number("BENCH_RAMP_STEP", 100)) {
                rates.add(rate);
            }
            seconds = number("BENCH_STEP_SECONDS", 15);
        } else {
            rates.add(number("BENCH_RATE", 100));
            seconds = number("BENCH_SECONDS", 60);
        }
        int warmUpSeconds = number("BENCH_WARMUP_SECONDS", 30);
        // High enough that the services' C2 compilers see their hot methods soon, low enough not to overload the
        // stack while they compile.
        int warmUpRate = number("BENCH_WARMUP_RATE", WARM_UP_RATE);
        int warmUpMaxSeconds = number("BENCH_WARMUP_MAX_SECONDS", 600);
        int maxConnections = number("BENCH_CONNECTIONS", 500);
        // As many tracking pages as this follow an order each second, at any rate: 1 % of the orders at 1,000/s.
        int followPerSecond = number("BENCH_FOLLOW_PER_SECOND", 10);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", mode);
        settings.put("rates", rates);
        settings.put("step_seconds", seconds);
        settings.put("warm_up_seconds", warmUpSeconds);
        settings.put("warm_up_rate", warmUpRate);
        settings.put("target", orders.toString());
        settings.put("max_connections", maxConnections);
        settings.put("followed_per_second", followPerSecond);
        settings.put("cores", Runtime.getRuntime().availableProcessors());
        settings.put("cpu", ProcessCpu.cpuModel());
        settings.put("partitions", number("KAFKA_PARTITIONS", 6));
        settings.put("service_java_opts", ProcessCpu.serviceJavaOptions(stackDir));
        settings.put("started_at", Instant.now().toString());
        System.out.println("orderflow pipeline benchmark: " + settings);
        NanoClock clock = new NanoClock();
        NotificationTimes notifications = new NotificationTimes("jdbc:postgresql://localhost:" + setting("PG_PORT", "5432")
                + "/notification_db", "notification_user", "notification_user", clock);
        List<StepResult> results = new ArrayList<>();
        String token = SigningKey.localOperatorToken(stackDir, Duration.ofHours(12));
        try (HttpPoster http = new HttpPoster(orders, maxConnections, token); StageTracker tracker = new StageTracker(bootstrap, clock);
             LiveFollower follower = new LiveFollower(orders, token, followPerSecond)) {
            PipelineBenchmark benchmark = new PipelineBenchmark(http, stackDir, notifications, follower);
            if (warmUpSeconds > 0) {
                settings.put("warmed_up_seconds", benchmark.warmUp(tracker, warmUpRate, warmUpSeconds, warmUpMaxSeconds));
            }
            for (int rate : rates) {
                StepResult result = benchmark.step(tracker, rate, seconds);
                results.add(result);
                result.print();
            }
        }
        Path report = PipelineReport.write(stackDir.resolve("bench"), settings, results);
        System.out.println("\nResults: " + report + " and " + report.toString().replace(".json", ".html"));
    }

    /**
     * Freshly started JVMs spend minutes of CPU compiling, with C2 more than with C1 alone: measure the services, not
     * their JIT. Loads the stack at {@code rate} for {@code seconds}, then in rounds until the services' compilers
     * have settled or {@code maxSeconds} have passed; returns the seconds of load it took.
     */
    private int warmUp(StageTracker tracker, int rate, int seconds, int maxSeconds) throws InterruptedException, SQLException {
        System.out.printf("%nwarm-up (not measured):");
        int loaded = 0;
        for (int round = seconds; round > 0; round = Math.min(WARM_UP_ROUND_SECONDS, maxSeconds - loaded)) {
            Map<String, Double> jitBefore = ProcessCpu.servicesJitThreads(stackDir);
            long roundStart = System.nanoTime();
            step(tracker, rate, round);
            double jitShare = ProcessCpu.jitSecondsBetween(jitBefore, ProcessCpu.servicesJitThreads(stackDir))
                    / ((System.nanoTime() - roundStart) / 1e9);
            loaded += round;
            System.out.printf("  warm-up: %d s of load; the services' JIT compilers used %.0f %% of a core%n", loaded, jitShare * 100);
            if (jitShare < JIT_SETTLED) {
                break;
            }
        }
        return loaded;
    }

    /** Sends {@code rate} orders/s for {@code seconds}, then waits for them to drain, and measures. */
    private StepResult step(StageTracker tracker, int rate, int seconds) throws InterruptedException, SQLException {
        System.out.printf("%n-- %d orders/s for %d s --%n", rate, seconds);
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        Map<String, Long> scheduledAt = new ConcurrentHashMap<>();
        PostErrors errors = new PostErrors();
        AtomicInteger answered = new AtomicInteger();
        Histogram postLatency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        Map<String, Double> cpuBefore = ProcessCpu.sample(stackDir);
        Instant stepStart = Instant.now();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long lastProgress = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            // Parked, not spinning: the machine under test is this one. Waking up a little late costs nothing in accuracy,
            // since every latency counts from the scheduled time.
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            send(i, due, scheduledAt, errors, answered, postLatency);
            if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
                lastProgress = System.nanoTime();
                System.out.printf("  ... %,d of %,d sent, %,d answered, %,d shipped, %d errors%n", i + 1, total, answered.get(),
                        count(tracker, scheduledAt, StageTracker.Stage.SHIPPED), errors.total());
            }
        }
        long sendEnd = System.nanoTime();
        long drainDeadline = sendEnd + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < drainDeadline
                && (answered.get() + errors.total() < total || count(tracker, scheduledAt, StageTracker.Stage.SHIPPED) < scheduledAt.size())) {
            Thread.sleep(50);
        }
        do { // the notifications are read from svc-notification's database only now, so as not to load it while measuring
            notifications.collect(tracker, stepStart);
        } while (count(tracker, scheduledAt, StageTracker.Stage.NOTIFIED) < scheduledAt.size() && System.nanoTime() < drainDeadline
                && sleep(250));
        Map<String, Double> cpuAfter = ProcessCpu.sample(stackDir);
        double elapsed = (System.nanoTime() - start) / 1e9;
        LiveFollower.Result live = follower.finish(DRAIN_TIMEOUT);
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpuAfter.forEach((name, secondsUsed) -> cpu.put(name, secondsUsed - cpuBefore.getOrDefault(name, 0.0)));
        Map<StageTracker.Stage, Histogram> stages = new LinkedHashMap<>();
        long lastShipped = 0;
        for (StageTracker.Stage stage : StageTracker.Stage.values()) {
            Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
            for (Map.Entry<String, Long> order : scheduledAt.entrySet()) {
                long reached = tracker.reachedAt(order.getKey(), stage);
                if (reached > 0) {
                    histogram.recordValue(Math.max(0, (reached - order.getValue()) / 1000));
                    if (stage == StageTracker.Stage.SHIPPED) {
                        lastShipped = Math.max(lastShipped, reached);
                    }
                }
            }
            stages.put(stage, histogram);
        }
        double shippedSeconds = lastShipped == 0 ? elapsed : (lastShipped - start) / 1e9;
        tracker.forget(scheduledAt.keySet());
        double shippedAfterLastPost = lastShipped == 0 ? Double.NaN : (lastShipped - sendEnd) / 1e9;
        return new StepResult(rate, seconds, total, answered.get(), errors.byKind(), (double) total * 1e9 / (sendEnd - start),
                stages.get(StageTracker.Stage.SHIPPED).getTotalCount() / shippedSeconds, shippedAfterLastPost, postLatency, stages, live, cpu,
                elapsed);
    }

    private void send(int sequence, long scheduled, Map<String, Long> scheduledAt, PostErrors errors, AtomicInteger answered,
                      Histogram postLatency) {
        byte[] body = BODY.formatted(sequence % 1000, PRODUCTS.get(sequence % PRODUCTS.size())).getBytes(StandardCharsets.UTF_8);
        http.post(body, new HttpPoster.Callback() {
            @Override
            public void answered(int status, String response) {
                long now = System.nanoTime();
                Matcher orderId = ORDER_ID.matcher(response);
                if (status != 201 || !orderId.find()) {
                    errors.answered(status);
                    return;
                }
                scheduledAt.put(orderId.group(1), scheduled);
                follower.offer(orderId.group(1));
                synchronized (postLatency) {
                    postLatency.recordValue(Math.max(0, (now - scheduled) / 1000));
                }
                answered.incrementAndGet();
            }

            @Override
            public void failed(Exception failure) {
                errors.failed(failure);
            }
        });
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static int count(StageTracker tracker, Map<String, Long> orders, StageTracker.Stage stage) {
        int reached = 0;
        for (String orderId : orders.keySet()) {
            if (tracker.reachedAt(orderId, stage) > 0) {
                reached++;
            }
        }
        return reached;
    }

    private static String setting(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static int number(String name, int defaultValue) {
        return Integer.parseInt(setting(name, Integer.toString(defaultValue)));
    }

    /**
     * What one step measured. Latencies in microseconds, from each order's scheduled send time. {@code shippedPerSecond}
     * counts from the first POST to the last order shipped, so the last orders' way through the pipeline is in it;
     * {@code shippedAfterLastPost} tells how long that was. {@code live}: what the followers of a sample of the orders saw
     * ({@link LiveFollower}), its latency from svc-shipper's decision.
     */
    record StepResult(int targetRate, int seconds, int sent, int accepted, Map<String, Integer> errorKinds, double sendRate, double shippedPerSecond,
                      double shippedAfterLastPost, Histogram post, Map<StageTracker.Stage, Histogram> stages, LiveFollower.Result live,
                      Map<String, Double> cpuSeconds, double elapsedSeconds) {

        int errors() {
            return errorKinds.values().stream().mapToInt(Integer::intValue).sum();
        }

        long unfinished() {
            return accepted - stages.get(StageTracker.Stage.NOTIFIED).getTotalCount();
        }

        void print() {
            System.out.printf("target %d/s: sent %,d at %.0f/s, accepted %,d, errors %d%s, shipped %.0f orders/s (the last %.1f s after the"
                            + " last POST), not finished after drain: %,d%n", targetRate, sent, sendRate, accepted, errors(),
                    errorKinds.isEmpty() ? "" : " " + errorKinds, shippedPerSecond, shippedAfterLastPost, unfinished());
            System.out.printf("  %-18s %9s %9s %9s %9s %8s%n", "stage (ms)", "p50", "p95", "p99", "max", "count");
            line("POST answered", post);
            stages.forEach((stage, histogram) -> line(stage.name(), histogram));
            line("SHIPPED live", live.live());
            System.out.printf("  (SHIPPED live: from svc-shipper's decision to a follower of GET /orders/{id}/events; %d orders followed,"
                    + " %d shipped before their stream opened, %d failed%s)%n", live.followed(), live.inHistory(), live.failed(),
                    live.failures().isEmpty() ? "" : " " + live.failures());
            StringBuilder cpu = new StringBuilder("  CPU (% of one core):");
            cpuSeconds.forEach((name, used) -> cpu.append(String.format(" %s %.0f%%", name, 100 * used / elapsedSeconds)));
            System.out.println(cpu);
        }

        private static void line(String name, Histogram histogram) {
            System.out.printf("  %-18s %9.1f %9.1f %9.1f %9.1f %8d%n", name, histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(95) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0, histogram.getTotalCount());
        }
    }
}
