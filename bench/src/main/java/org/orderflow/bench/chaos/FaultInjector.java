package org.orderflow.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.orderflow.bench.chaos.Fault.Kind;
import org.orderflow.bench.chaos.LocalStack.Instance;
import org.orderflow.devstack.LocalKafka;
import org.orderflow.outbox.OutboxAdmin;

/**
 * Injects one fault at a time while the load runs: first one of each kind (a service instance, a relay leader, a
 * broker, PostgreSQL killed; a pause; a graceful stop), then a service instance every other time, so that every instance is killed in a long
 * enough run. A fault begins every {@code faultInterval} (or as soon as the previous one recovered, if later). The
 * first round is always injected whole, the load going on until it is ({@link #firstRoundDone()}); after it, no fault
 * begins in the run's last interval, so that the load ends on a whole stack.
 */
final class FaultInjector implements Runnable {
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(180);
    private static final int RESTART_ATTEMPTS = 3;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final List<Kind> FIRST_ROUND = List.of(Kind.KILL_INSTANCE, Kind.KILL_RELAY_LEADER, Kind.KILL_BROKER,
            Kind.KILL_POSTGRES, Kind.PAUSE_INSTANCE, Kind.STOP_INSTANCE);

    private final LocalStack stack;
    private final ServiceDatabases databases;
    private final ChaosSettings settings;
    private final Progress progress;
    private final Path restartLog;
    private final List<Fault> faults = new ArrayList<>();
    private volatile boolean firstRoundDone;
    private int instanceTurn;
    private int leaderTurn;
    private int brokerTurn;
    private int pauseTurn;

    FaultInjector(LocalStack stack, ServiceDatabases databases, ChaosSettings settings, Progress progress, Path restartLog) {
        this.stack = stack;
        this.databases = databases;
        this.settings = settings;
        this.progress = progress;
        this.restartLog = restartLog;
    }

    synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** True once one fault of each kind has been injected and undone (or could not be). */
    boolean firstRoundDone() {
        return firstRoundDone;
    }

    @Override
    public void run() {
        try {
            injectFaults();
        } finally {
            firstRoundDone = true; // whatever happened, the load must not wait for this thread any longer
        }
    }

    private void injectFaults() {
        Duration lastStart = settings.duration().minus(settings.faultInterval());
        List<Kind> first = FIRST_ROUND.stream().filter(this::injects).toList();
        List<Kind> others = first.stream().filter(kind -> kind != Kind.KILL_INSTANCE).toList();
        for (int turn = 0; !Thread.currentThread().isInterrupted(); turn++) {
            firstRoundDone = turn >= first.size();
            Duration slot = settings.faultInterval().multipliedBy(turn + 1L);
            if (!sleepUntil(slot) || firstRoundDone && progress.elapsed().compareTo(lastStart) > 0) {
                return;
            }
            Kind kind = kindOf(turn, first, others);
            Fault fault = inject(kind);
            synchronized (this) {
                faults.add(fault);
            }
            progress.say("fault %-17s %-18s %s", kind, fault.target(), fault.succeeded()
                    ? "back in " + seconds(fault.recovery()) + " (gone " + seconds(fault.outage()) + ")"
                    : "FAILED: " + fault.problem());
        }
    }

    /** The first round has one fault of each kind; after it, every other fault kills a service instance. */
    private static Kind kindOf(int turn, List<Kind> first, List<Kind> others) {
        if (turn < first.size()) {
            return first.get(turn);
        }
        int later = turn - first.size();
        return later % 2 == 0 || others.isEmpty() ? Kind.KILL_INSTANCE : others.get((later / 2) % others.size());
    }

    private boolean injects(Kind kind) {
        return kind != Kind.PAUSE_INSTANCE || !settings.pauseTime().isZero();
    }

    private Fault inject(Kind kind) {
        Duration at = progress.elapsed();
        try {
            Target target = target(kind);
            long started = System.nanoTime();
            if (kind == Kind.PAUSE_INSTANCE) {
                signal("STOP", target.process());
                sleep(settings.pauseTime());
                signal("CONT", target.process());
            } else if (kind == Kind.STOP_INSTANCE) {
                target.process().destroy(); // SIGTERM: the service finishes what it handles and leaves its groups
                target.process().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                sleep(settings.downTime());
            } else {
                target.process().destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to Kafka or PostgreSQL
                target.process().onExit().get(10, TimeUnit.SECONDS);
                sleep(settings.downTime());
            }
            Duration outage = Duration.ofNanos(System.nanoTime() - started);
            restart();
            return new Fault(kind, target.name(), at, outage, Duration.ofNanos(System.nanoTime() - started), "");
        } catch (Exception e) {
            String problem = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                restart();
            } catch (RuntimeException stillDown) {
                problem += "; and the stack did not come back: " + stillDown.getMessage();
            }
            return new Fault(kind, "?", at, Duration.ZERO, Duration.ZERO, problem);
        }
    }

    private record Target(String name, ProcessHandle process) {
    }

    private Target target(Kind kind) {
        return switch (kind) {
            case KILL_INSTANCE, STOP_INSTANCE -> instanceTarget(instanceTurn++);
            case PAUSE_INSTANCE -> instanceTarget(-1 - pauseTurn++);
            case KILL_RELAY_LEADER -> relayLeader(LocalStack.SERVICES.get((1 + leaderTurn++) % LocalStack.SERVICES.size()));
            case KILL_BROKER -> {
                List<LocalKafka> nodes = stack.brokerNodes();
                LocalKafka node = nodes.get(brokerTurn++ % nodes.size());
                yield new Target(nodes.size() == 1 ? "kafka" : "kafka-" + (nodes.indexOf(node) + 1),
                        node.process().orElseThrow(() -> new IllegalStateException("Kafka on port " + node.port() + " does not run")));
            }
            case KILL_POSTGRES -> new Target("postgres", stack.postgresProcess()
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL does not run")));
        };
    }

    /** Instance {@code turn} of the stack's (from the end for a negative turn), so kills and pauses hit different ones. */
    private Target instanceTarget(int turn) {
        List<Instance> instances = stack.instances();
        Instance instance = instances.get(Math.floorMod(turn, instances.size()));
        return new Target(instance.label(), stack.process(instance)
                .orElseThrow(() -> new IllegalStateException(instance.label() + " does not run")));
    }

    private Target relayLeader(String service) {
        Optional<String> leader = OutboxAdmin.create(databases.of(service)).status().relayLeader().map(OutboxAdmin.RelayLeader::applicationName);
        Instance instance = stack.instances().stream().filter(candidate -> leader.filter(candidate.label()::equals).isPresent())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no instance of svc-" + service + " holds the relay lock (holder: "
                        + leader.orElse("none") + ")"));
        return new Target(instance.label(), stack.process(instance)
                .orElseThrow(() -> new IllegalStateException(instance.label() + " does not run")));
    }

    /** scripts/stack.sh up until it succeeds: PostgreSQL may refuse to start while its old backends are still exiting. */
    private void restart() {
        for (int attempt = 1; ; attempt++) {
            try {
                stack.restartMissing(restartLog, RESTART_TIMEOUT);
                return;
            } catch (IllegalStateException e) {
                if (attempt == RESTART_ATTEMPTS) {
                    throw e;
                }
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        // bash's own kill: Java sends SIGTERM and SIGKILL only, and /bin/kill is not on every machine
        Process kill = new ProcessBuilder("bash", "-c", "kill -" + signal + " " + process.pid()).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    private boolean sleepUntil(Duration elapsed) {
        Duration wait = elapsed.minus(progress.elapsed());
        if (!wait.isNegative()) {
            sleep(wait);
        }
        return !Thread.currentThread().isInterrupted();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
