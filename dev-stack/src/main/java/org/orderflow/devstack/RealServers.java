package org.orderflow.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real Kafka broker and a real PostgreSQL server for integration tests, started once per test JVM and shared by
 * every test in it: containers when a Docker engine answers, otherwise the embedded real servers of this module
 * (Kafka from its Maven artifacts, PostgreSQL from its Maven-published binaries). Set
 * {@code ORDERFLOW_TEST_SERVERS=embedded} or {@code =docker} to choose.
 *
 * <p>Tests isolate themselves by asking for a fresh database ({@link #newDatabase}) and unique topic names, never by
 * restarting the shared servers; a test that must stop a server asks for a dedicated one ({@link #dedicatedKafka},
 * {@link #dedicatedPostgres}).
 */
public final class RealServers {
    private static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    private static final String POSTGRES_IMAGE = "postgres:18-alpine";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static volatile RealServers shared;

    private final String bootstrapServers;
    private final Databases databases;

    private RealServers(String bootstrapServers, Databases databases) {
        this.bootstrapServers = bootstrapServers;
        this.databases = databases;
    }

    /** The servers shared by this test JVM, started on first use. */
    public static RealServers shared() {
        RealServers servers = shared;
        if (servers == null) {
            synchronized (RealServers.class) {
                servers = shared;
                if (servers == null) {
                    servers = useDocker() ? startContainers() : startEmbedded();
                    shared = servers;
                }
            }
        }
        return servers;
    }

    public String kafkaBootstrapServers() {
        return bootstrapServers;
    }

    public Databases databases() {
        return databases;
    }

    /** A new, empty database with its own owner, so each test class starts from a clean schema. */
    public TestDatabase newDatabase(String prefix) {
        String name = (prefix + "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid()).toLowerCase(Locale.ROOT);
        databases.ensureDatabase(name, name, name);
        return new TestDatabase(databases.jdbcUrl(name), name, name);
    }

    /**
     * The environment variables a service reads, pointing at these servers and at a fresh database of its own, with
     * HTTP on a random port, trusting the tests' tokens ({@link TestTokens}):
     * {@code Config.fromEnv(servers.serviceEnvironment("order"))}.
     */
    public Map<String, String> serviceEnvironment(String databasePrefix) {
        TestDatabase database = newDatabase(databasePrefix);
        Map<String, String> environment = new java.util.HashMap<>(Map.of("DB_URL", database.jdbcUrl(), "DB_USER", database.user(),
                "DB_PASSWORD", database.password(), "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers, "HTTP_PORT", "0"));
        environment.putAll(SigningKey.serviceEnvironment(TestTokens.jwks()));
        return Map.copyOf(environment);
    }

    /** A Kafka broker of the calling test's own, on fixed ports so that it can be stopped and started again. */
    public static LocalKafka dedicatedKafka() {
        Path home = ScratchDirectory.create("kafka");
        LocalKafka kafka = new LocalKafka(home, FreePorts.next(), FreePorts.next());
        ScratchDirectory.deleteOnExit(home, kafka::stop);
        kafka.start(false);
        return kafka;
    }

    /**
     * A Kafka broker of the calling test's own with a SASL_SSL listener ({@link SecureListener}) and the SCRAM user
     * {@code user}; its PLAINTEXT listener ({@link LocalKafka#bootstrapServers()}) is for setting it up.
     */
    public static LocalKafka dedicatedSecureKafka(String user, String password) {
        Path home = ScratchDirectory.create("kafka");
        SecureListener listener = SecureListener.create(home, FreePorts.next());
        LocalKafka kafka = new LocalKafka(home, FreePorts.next(), FreePorts.next(), listener);
        ScratchDirectory.deleteOnExit(home, kafka::stop);
        kafka.start(false);
        kafka.addScramUser(user, password);
        return kafka;
    }

    /** A PostgreSQL server of the calling test's own, so that it can be stopped and started again. */
    public static LocalPostgres dedicatedPostgres() {
        Path home = ScratchDirectory.create("postgres");
        LocalPostgres postgres = new LocalPostgres(home, binaryCache(), FreePorts.next(), osUser(), true);
        ScratchDirectory.deleteOnExit(home, postgres::stop);
        postgres.start();
        return postgres;
    }

    /** A fresh topic name, so tests sharing a broker never read each other's records. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static boolean useDocker() {
        String choice = setting("ORDERFLOW_TEST_SERVERS", "auto");
        return switch (choice) {
            case "docker" -> true;
            case "embedded" -> false;
            default -> dockerAnswers();
        };
    }

    private static boolean dockerAnswers() {
        boolean configured = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!configured) {
            return false; // asking Testcontainers would only log an error: nothing is there to answer
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static RealServers startEmbedded() {
        Path kafkaHome = ScratchDirectory.create("kafka");
        Path postgresHome = ScratchDirectory.create("postgres");
        LocalKafka kafka = new LocalKafka(kafkaHome, FreePorts.next(), FreePorts.next());
        LocalPostgres postgres = new LocalPostgres(postgresHome, binaryCache(), FreePorts.next(), osUser(), true);
        // Registered before either starts: a server that fails to come up must not outlive the JVM, nor its data
        // (stop() is a no-op on a server that never came up).
        ScratchDirectory.deleteOnExit(postgresHome, postgres::stop);
        ScratchDirectory.deleteOnExit(kafkaHome, kafka::stop);
        Thread startPostgres = new Thread(postgres::start, "start-postgres");
        RuntimeException[] postgresFailure = new RuntimeException[1];
        startPostgres.setUncaughtExceptionHandler((thread, e) -> postgresFailure[0] = (RuntimeException) e);
        startPostgres.start(); // both servers start in parallel: this is most of a test JVM's start-up time
        kafka.start(false);
        try {
            startPostgres.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted starting PostgreSQL", e);
        }
        if (postgresFailure[0] != null) {
            throw postgresFailure[0];
        }
        return new RealServers(kafka.bootstrapServers(),
                new Databases("localhost", postgres.port(), LocalPostgres.SUPERUSER, LocalPostgres.SUPERUSER_PASSWORD));
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    private static RealServers startContainers() {
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE).withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off");
        kafka.start();
        postgres.start();
        return new RealServers(kafka.getBootstrapServers(),
                new Databases(postgres.getHost(), postgres.getMappedPort(5432), postgres.getUsername(), postgres.getPassword()));
    }

    /** The OS user a PostgreSQL of this JVM runs as when the JVM runs as root ({@code PG_OS_USER}, nobody by default). */
    public static String osUser() {
        return setting("PG_OS_USER", "nobody");
    }

    private static String setting(String name, String defaultValue) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** Where PostgreSQL's binaries are unpacked, once for every JVM on this machine. */
    public static Path binaryCache() {
        return Path.of(System.getProperty("java.io.tmpdir"), "orderflow-postgres-binaries");
    }

    /** A database created for one test, with the credentials of its owner. */
    public record TestDatabase(String jdbcUrl, String user, String password) {
    }
}
