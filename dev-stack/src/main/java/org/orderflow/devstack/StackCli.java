package org.orderflow.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The infrastructure half of `make up` / `make down`: the real Kafka brokers and PostgreSQL server, the databases
 * and the topics. Settings come from the same environment variables as the Makefile's (see `make help`): BROKERS
 * (1) Kafka nodes on KAFKA_PORT, KAFKA_PORT+1, ..., their controllers on KAFKA_CONTROLLER_PORT (KAFKA_PORT + BROKERS)
 * and up.
 *
 * <pre>
 *   infra-up                         start PostgreSQL and Kafka (what is not running), create the service databases
 *   infra-down                       stop what infra-up started, whichever the number of brokers
 *   infra-status                     one line per server
 *   bootstrap                        the brokers' addresses, host:port,host:port...
 *   topics BOOTSTRAP PARTITIONS REPLICATION TOPIC...
 *                                    create the topics that do not exist yet
 * </pre>
 */
public final class StackCli {
    private final Map<String, String> env;

    private StackCli(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        // Must precede the first logger: the classpath carries the broker's logback, which defaults to DEBUG.
        System.setProperty("logback.configurationFile", "orderflow/cli-logback.xml");
        if (args.length == 0) {
            System.err.println("usage: StackCli infra-up | infra-down | infra-status | topics BOOTSTRAP PARTITIONS REPLICATION TOPIC... | auth-keys DIR | token DIR --customer ID|--operator [--lifetime 1h]");
            System.exit(2);
        }
        try {
            new StackCli(System.getenv()).run(args[0], Arrays.asList(args).subList(1, args.length));
        } catch (StackException e) {
            StringBuilder message = new StringBuilder("error: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                message.append("\n  caused by ").append(cause);
            }
            System.err.println(message);
            System.exit(1);
        }
    }

    private void run(String command, List<String> arguments) {
        switch (command) {
            case "infra-up" -> infraUp();
            case "infra-down" -> infraDown();
            case "infra-status" -> infraStatus();
            case "bootstrap" -> System.out.println(kafka().bootstrapServers());
            case "auth-keys" -> authKeys(Path.of(arguments.get(0)));
            case "token" -> token(Path.of(arguments.get(0)), arguments.subList(1, arguments.size()));
            case "topics" -> Topics.ensure(arguments.get(0), positive("KAFKA_PARTITIONS", arguments.get(1)),
                    (short) positive("KAFKA_REPLICATION_FACTOR", arguments.get(2)), arguments.subList(3, arguments.size()));
            default -> throw new StackException("Unknown command " + command);
        }
    }

    private void infraUp() {
        LocalPostgres postgres = postgres();
        if (!postgres.isRunning()) {
            System.out.println("Starting PostgreSQL on port " + postgres.port() + " ...");
            postgres.start();
        }
        Databases databases = new Databases("localhost", postgres.port(), LocalPostgres.SUPERUSER, LocalPostgres.SUPERUSER_PASSWORD);
        for (String service : setting("SERVICE_DATABASES", "order inventory warehouse shipper notification").split("\\s+")) {
            databases.ensureDatabase(service + "_db", service + "_user", service + "_user");
        }
        KafkaCluster kafka = kafka();
        requireNoOtherKafka(kafka);
        for (LocalKafka node : kafka.nodes()) {
            if (node.process().isEmpty()) {
                System.out.println("Starting Kafka on port " + node.port() + " ...");
            }
        }
        kafka.start(true);
    }

    /** A stack started with another number of brokers still runs: its ports would clash, or it would be left behind. */
    private void requireNoOtherKafka(KafkaCluster wanted) {
        List<Path> ours = wanted.nodes().stream().map(LocalKafka::home).toList();
        KafkaCluster.everyNode(stackDir()).stream()
                .filter(node -> node.process().isPresent() && !ours.contains(node.home()))
                .findFirst()
                .ifPresent(other -> {
                    throw new StackException("Kafka of another shape runs from " + other.home() + " (started with another BROKERS); "
                            + "make down first, then make up BROKERS=" + wanted.nodes().size());
                });
    }

    private void infraDown() {
        KafkaCluster.stopAll(KafkaCluster.everyNode(stackDir()));
        postgres().stop();
    }

    private void infraStatus() {
        LocalPostgres postgres = postgres();
        System.out.printf("%-19s %-8s %s%n", "postgres", postgres.isRunning() ? "running" : "stopped",
                "port " + postgres.port() + postgres.pid().map(pid -> "  pid " + pid).orElse(""));
        List<LocalKafka> nodes = kafka().nodes();
        for (LocalKafka node : nodes) {
            String name = nodes.size() == 1 ? "kafka" : "kafka-" + node.nodeId();
            System.out.printf("%-19s %-8s %s%n", name, node.process().isPresent() ? "running" : "stopped",
                    "port " + node.port() + node.process().map(p -> "  pid " + p.pid()).orElse(""));
        }
    }


    private LocalPostgres postgres() {
        Path home = stackDir().resolve("postgres");
        return new LocalPostgres(home, stackDir().resolve("postgres-binaries"), port("PG_PORT", 5432),
                setting("PG_OS_USER", "nobody"), false);
    }

    private KafkaCluster kafka() {
        int brokers = positive("BROKERS", setting("BROKERS", "1"));
        int firstPort = port("KAFKA_PORT", 9092);
        return KafkaCluster.in(stackDir(), brokers, firstPort, port("KAFKA_CONTROLLER_PORT", firstPort + brokers));
    }

    private Path stackDir() {
        return Path.of(setting("STACK_DIR", ".stack")).toAbsolutePath();
    }

    private int port(String variable, int defaultPort) {
        int port = positive(variable, setting(variable, Integer.toString(defaultPort)));
        if (port > 65535) {
            throw new StackException(variable + " must be a port number (1-65535), got " + port);
        }
        return port;
    }

    /** A setting; unset and blank are the same (make exports unset variables as empty strings). */
    private String setting(String name, String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static int positive(String variable, String value) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number <= 0) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new StackException(variable + " must be a positive whole number, got '" + value + "'");
        }
    }

    /**
     * The local stack's token issuer, made once: DIR/signing-key.json (private), DIR/jwks.json (what the services
     * trust) and DIR/auth.env (their AUTH_* settings, sourced by scripts/stack.sh).
     */
    private static void authKeys(Path dir) {
        Path key = dir.resolve("signing-key.json");
        Path jwks = dir.resolve("jwks.json");
        if (!Files.exists(key)) {
            SigningKey.generate(Clock.systemUTC()).save(key, jwks);
            System.out.println("Made a signing key for local tokens: " + key + " (scripts/orderflow token)");
        }
        StringBuilder settings = new StringBuilder();
        SigningKey.serviceEnvironment(jwks.toAbsolutePath()).forEach((name, value) -> settings.append(name).append("='").append(value.replace("'", "'\\''")).append("'\n"));
        try {
            Files.writeString(dir.resolve("auth.env"), settings.toString());
        } catch (java.io.IOException e) {
            throw new StackException("Cannot write " + dir.resolve("auth.env"), e);
        }
    }

    /** Prints a token of the local issuer: a customer's (--customer ID) or an operator's (--operator). */
    private static void token(Path dir, List<String> arguments) {
        Path key = dir.resolve("signing-key.json");
        if (!Files.exists(key)) {
            throw new StackException("No local signing key in " + dir + ": run make up first");
        }
        Duration lifetime = Duration.ofHours(1);
        String customer = null;
        boolean operator = false;
        for (int i = 0; i < arguments.size(); i++) {
            switch (arguments.get(i)) {
                case "--customer" -> customer = argument(arguments, ++i, "--customer needs a customer id");
                case "--operator" -> operator = true;
                case "--lifetime" -> lifetime = Duration.parse("PT" + argument(arguments, ++i, "--lifetime needs a duration (30m, 8h)").toUpperCase(java.util.Locale.ROOT));
                default -> throw new StackException("usage: token --customer ID | --operator [--lifetime 1h]; got " + arguments.get(i));
            }
        }
        if ((customer == null) == !operator) {
            throw new StackException("usage: token --customer ID | --operator [--lifetime 1h]: one of --customer and --operator");
        }
        SigningKey signing = SigningKey.load(key, Clock.systemUTC());
        System.out.println(operator ? signing.operatorToken("operator", lifetime) : signing.customerToken(customer, lifetime));
    }

    private static String argument(List<String> arguments, int index, String missing) {
        if (index >= arguments.size()) {
            throw new StackException(missing);
        }
        return arguments.get(index);
    }
}
