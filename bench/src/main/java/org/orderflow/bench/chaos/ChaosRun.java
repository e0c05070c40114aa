package org.orderflow.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.orderflow.bench.chaos.LocalStack.Instance;
import org.orderflow.devstack.SigningKey;
import org.orderflow.service.config.ConfigException;

/**
 * {@code make chaos}: orders at CHAOS_RATE for CHAOS_SECONDS against the running stack while one process at a time is
 * killed with SIGKILL (or paused) and restarted ({@link FaultInjector}); then, once every accepted order is final,
 * the consumer groups' lag ({@link ConsumerLag}) and the checks ({@link ChaosChecks}). Prints progress and a report, writes it as JSON, and exits 1 on any violation
 * (2 when it could not run). Settings: {@link ChaosSettings}.
 */
public final class ChaosRun {
    private ChaosRun() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(System.getenv(), Path.of(".").toAbsolutePath().normalize()).passed() ? 0 : 1);
        } catch (ConfigException | IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** One run against the stack under STACK_DIR, started by the scripts of {@code root}: printed, written, returned. */
    static ChaosReport run(Map<String, String> env, Path root) {
        String runId = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path stackDir = root.resolve(env.getOrDefault("STACK_DIR", "").isBlank() ? ".stack" : env.get("STACK_DIR")).normalize();
        ChaosSettings settings = ChaosSettings.fromEnv(env, stackDir, runId);
        LocalStack stack = LocalStack.at(root, stackDir);
        List<String> unready = stack.unready();
        if (!unready.isEmpty()) {
            throw new IllegalStateException("Not ready: " + unready + "; the run starts from a whole stack (make up)");
        }
        String shape = describe(stack);
        Progress progress = new Progress();
        progress.say("chaos run %s against %s: %d orders/s for %d s, a fault every %d s", runId, shape, settings.rate(),
                settings.duration().toSeconds(), settings.faultInterval().toSeconds());
        createDirectories(stackDir.resolve("chaos"));
        ServiceDatabases databases = new ServiceDatabases(stack.postgresPort());
        String token = SigningKey.localOperatorToken(stackDir, settings.duration().plusHours(2));
        Catalogue catalogue = Catalogue.create(runId, portsOf(stack, "inventory").get(0), token);
        ChaosChecks checks = new ChaosChecks(databases, catalogue, TopicMark.now(stack.kafkaBootstrap(), "Notification"),
                TopicMark.now(stack.kafkaBootstrap(), "DeadLetterQueue"));
        FaultInjector faults = new FaultInjector(stack, databases, settings, progress, stackDir.resolve("chaos").resolve("restarts.log"));
        Thread injector = new Thread(faults, "chaos-faults");
        OrderLoad load;
        try (CarefulClient orders = new CarefulClient(portsOf(stack, "order"), token); TypedOrders typed = new TypedOrders(stack.kafkaBootstrap())) {
            load = new OrderLoad(settings, runId, catalogue, orders, typed, progress, faults::firstRoundDone);
            injector.start();
            load.run();
            join(injector);
        }
        Duration settled = awaitFinal(checks, load.accepted().keySet(), settings.settleTime(), progress);
        reportLag(stack.kafkaBootstrap(), progress);
        progress.say("checking");
        List<Check> verdicts = new ArrayList<>(checks.run(load.accepted().keySet()));
        verdicts.add(0, Check.of("every order placed was answered", load.figures().placedOverHttp() + load.figures().typedIntoKafka(),
                load.figures().unanswered() == 0 ? List.of() : List.of(load.figures().unanswered() + " orders without an answer")));
        verdicts.add(Check.of("every fault was undone and the stack came back", faults.faults().size(), faults.faults().stream()
                .filter(fault -> !fault.succeeded()).map(fault -> fault.kind() + " " + fault.target() + ": " + fault.problem()).toList()));
        ChaosReport report = new ChaosReport(runId, settings, shape, load.figures(), faults.faults(), settled, verdicts);
        report.print(System.out);
        try {
            report.write(settings.report());
            System.out.println("Report: " + settings.report());
        } catch (java.io.IOException e) {
            System.err.println("warning: cannot write " + settings.report() + ": " + e);
        }
        return report;
    }

    /** Waits until svc-order has every accepted order in a final status, or the settle time is up. */
    private static Duration awaitFinal(ChaosChecks checks, Set<String> accepted, Duration settleTime, Progress progress) {
        long start = System.nanoTime();
        long deadline = start + settleTime.toNanos();
        long nextReport = start;
        while (true) {
            Map<String, String> status = checks.statuses(accepted);
            long open = accepted.stream().filter(id -> !ChaosChecks.FINAL.contains(status.getOrDefault(id, ""))).count();
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (open == 0 || System.nanoTime() > deadline) {
                return waited;
            }
            if (System.nanoTime() >= nextReport) {
                progress.say("%d of %d accepted orders not final yet", open, accepted.size());
                nextReport += Duration.ofSeconds(10).toNanos();
            }
            try {
                Thread.sleep(1000); // polling the orders table: the condition waited on is the query above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return waited;
            }
        }
    }

    /**
     * Says which consumer groups' partitions are behind when the checks begin, and who reads them. An order is final
     * once its last step is recorded, while an earlier step's event may still wait behind a partition whose consumer is
     * behind: a history check that fails then names an order such a partition holds. Committed offsets are what is
     * compared, so a commit lost to a fault shows here too (it once did for minutes, until failed commits were retried).
     */
    private static void reportLag(String bootstrapServers, Progress progress) {
        try (ConsumerLag lag = new ConsumerLag(bootstrapServers)) {
            Map<String, Long> behind = lag.byPartition();
            progress.say("%s", behind.isEmpty() ? "every consumer group has caught up" : "consumer groups' partitions behind (records): " + behind);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            progress.say("consumer groups' lag unknown: %s", e.getMessage());
        }
    }

    private static List<Integer> portsOf(LocalStack stack, String service) {
        return stack.instances().stream().filter(instance -> instance.service().equals(service)).map(Instance::port).toList();
    }

    private static String describe(LocalStack stack) {
        Map<String, Long> counts = stack.instances().stream().collect(Collectors.groupingBy(Instance::service, Collectors.counting()));
        long most = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long fewest = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
        return (most == fewest ? most + " instance" + (most == 1 ? "" : "s") + " per service" : counts + " instances")
                + ", " + stack.brokers() + " broker" + (stack.brokers() == 1 ? "" : "s");
    }

    private static void createDirectories(Path directory) {
        try {
            java.nio.file.Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create " + directory, e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
