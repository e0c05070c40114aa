package org.orderflow.service.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orderflow.outbox.KafkaClientProperties;
import org.orderflow.service.auth.AuthSettings;
import org.orderflow.outbox.OutboxRelay;

/**
 * The settings every service reads the same way: its HTTP port, its PostgreSQL database and the Kafka cluster.
 *
 * <pre>
 *   HTTP_*                    the HTTP server's address and limits ({@link HttpSettings})
 *   AUTH_*                    bearer tokens of the API ({@link AuthSettings})
 *   DB_URL, DB_USER, DB_POOL_SIZE (10; at least CONSUMER_THREADS + 3, + 4 with a follow-up consumer)
 *   DB_PASSWORD or DB_PASSWORD_FILE  required with DB_URL: the default is the local stack's password, for its default URL
 *                             only. For TLS, DB_URL takes the driver's parameters (sslmode=verify-full&amp;sslrootcert=...)
 *   DB_SOCKET_TIMEOUT         longest wait for the database's answer to a statement before the connection is given up
 *                             as dead (60s; also bounds migrations, so raise it for a long one)
 *   KAFKA_BOOTSTRAP_SERVERS   host:port[,host:port...]
 *   KAFKA_PROPERTIES_FILE, KAFKA_&lt;PROPERTY&gt;[_FILE]  client properties of every Kafka client: security, tuning (see
 *                             {@code KafkaEnvironment})
 *   CONSUMER_THREADS          consumers of the service's group in this process (1)
 *   CONSUMER_FETCH_WAIT       how long the broker may gather records for a fetch of the service's consumer (0 for a
 *                             step of the pipeline; {@link #GATHERING_FETCH_WAIT} for a service that keeps a view)
 *   KPI_INTERVAL              how often KPI events are published (10s)
 *   OUTBOX_STALL_AFTER        /ready fails once the outbox's oldest pending row is older than this (30s)
 *   OUTBOX_LEADER_SILENCE     a relay lock holder idle and silent this long is taken to be cut off, and a standby
 *                             takes over (30s; longer than a round while Kafka is away, see RelayConfig)
 *   INSTANCE_ID               this process's stable name among several of the service (svc-order-1), unset for one:
 *                             its consumers become static members of the group (ConsumerSettings.instanceId), and it
 *                             names the process in pg_stat_activity and in Kafka's client ids
 *   LOG_FORMAT                text (one line per event, the default) or json (one JSON object per line); read by
 *                             logback.xml, checked here so that a typo stops the service instead of silencing it
 *   OTEL_*                    the OpenTelemetry SDK's own settings: OTEL_EXPORTER_OTLP_ENDPOINT exports the traces over
 *                             OTLP/HTTP (http/protobuf, the one protocol accepted); unset, no span leaves the process
 *                             (see {@code Observability})
 * </pre>
 *
 * @param serviceName the service's name, used as Kafka client id, consumer group and in logs
 * @param followsUp   the pool was sized for a follow-up consumer too ({@link ServiceDefaults#withFollowUpConsumer()})
 * @param instanceId  INSTANCE_ID, if set
 * @param openTelemetryEnv the OTEL_* variables, for the OpenTelemetry SDK
 * @param kafkaProperties the client properties of every Kafka client (values never printed)
 * @param auth        how the API's callers are authenticated (AUTH_*, see {@link AuthSettings})
 */
public record CommonConfig(String serviceName, HttpSettings http, DatabaseConfig database,
                           String kafkaBootstrapServers, int consumerThreads, Duration consumerFetchWait, Duration kpiInterval,
                           Duration outboxStallAfter, Duration outboxLeaderSilence, boolean followsUp,
                           Optional<String> instanceId, Map<String, String> openTelemetryEnv, KafkaClientProperties kafkaProperties,
                           AuthSettings auth) {
    /**
     * The fetch wait of a consumer that no step of the pipeline waits for: the CONSUMER_FETCH_WAIT of a service that
     * keeps a view (svc-order's statuses, svc-notification's notifications), and that of svc-inventory's follow-ups.
     * The broker gathers their events for this long, so that at 100 orders/s one transaction applies tens of them
     * instead of one or two. A view shows a step at most this much later.
     */
    public static final Duration GATHERING_FETCH_WAIT = Duration.ofMillis(100);
    /** The longest CONSUMER_FETCH_WAIT: beyond it a view lags more than anyone watching an order would accept. */
    private static final Duration LONGEST_FETCH_WAIT = Duration.ofSeconds(5);
    /** The one OTLP protocol the services export spans with: the JDK's HTTP client speaks it, with no other library. */
    public static final String OTLP_PROTOCOL = "http/protobuf";

    /** Reads the common settings; the defaults match `make up` for a service that says so in {@code defaults}. */
    public static CommonConfig fromEnv(Env env, ServiceDefaults defaults) {
        String serviceName = defaults.serviceName();
        String databasePrefix = defaults.databasePrefix();
        boolean followsUp = defaults.followUpConsumer() == ServiceDefaults.FollowUps.ONE;
        DatabaseConfig database = database(env, databasePrefix);
        String bootstrap = env.string("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        if (!bootstrap.matches("[^,:\\s]+:\\d+(,[^,:\\s]+:\\d+)*")) {
            throw new ConfigException("KAFKA_BOOTSTRAP_SERVERS must be host:port[,host:port...], got '" + bootstrap + "'");
        }
        int consumerThreads = env.positiveInt("CONSUMER_THREADS", 1);
        int followUpConsumers = followsUp ? 1 : 0;
        int fewestConnections = consumerThreads + followUpConsumers + OutboxRelay.CONNECTIONS_HELD + 1;
        if (database.maxPoolSize() < fewestConnections) {
            // Checked here rather than left to the pool: too small a pool starves HTTP requests and consumers at
            // run time, with nothing but connection timeouts to say why.
            throw new ConfigException("DB_POOL_SIZE " + database.maxPoolSize() + " is too small: the outbox relay holds "
                    + OutboxRelay.CONNECTIONS_HELD + " connections and each of the " + consumerThreads
                    + " consumer thread(s) (CONSUMER_THREADS)" + (followsUp ? " and the follow-up consumer" : "")
                    + " one, which leaves none for HTTP requests; use at least " + fewestConnections);
        }
        Duration fetchWait = env.duration("CONSUMER_FETCH_WAIT", defaults.fetchWait());
        if (fetchWait.isNegative() || fetchWait.compareTo(LONGEST_FETCH_WAIT) > 0) {
            throw new ConfigException("CONSUMER_FETCH_WAIT must be from 0 to " + LONGEST_FETCH_WAIT.toMillis() + "ms, got " + fetchWait.toMillis() + "ms");
        }
        env.oneOf("LOG_FORMAT", List.of("text", "json"), "text"); // logback.xml reads it; an unknown one would silence the log
        // Spans go over the JDK's own HTTP client (no OkHttp, no gRPC channel in the jars): OTLP/HTTP only.
        env.oneOf("OTEL_EXPORTER_OTLP_PROTOCOL", List.of(OTLP_PROTOCOL), OTLP_PROTOCOL);
        env.oneOf("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", List.of(OTLP_PROTOCOL), OTLP_PROTOCOL);
        return new CommonConfig(serviceName, HttpSettings.fromEnv(env, defaults.httpPort()),
                database, bootstrap, consumerThreads, fetchWait, env.duration("KPI_INTERVAL", Duration.ofSeconds(10)),
                positive(env, "OUTBOX_STALL_AFTER", Duration.ofSeconds(30)), leaderSilence(env), followsUp, instanceId(env),
                env.withPrefix("OTEL_"), KafkaEnvironment.read(env), AuthSettings.fromEnv(env));
    }

    /** DB_URL, DB_USER and DB_PASSWORD, each possibly from a file (*_FILE); the defaults are the local stack's. */
    private static DatabaseConfig database(Env env, String databasePrefix) {
        Optional<String> url = env.secret("DB_URL");
        Optional<String> password = env.secret("DB_PASSWORD");
        if (url.isPresent() && !url.get().startsWith("jdbc:postgresql:")) {
            throw new ConfigException("DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), not "
                    + url.get().split("//")[0] + "//...");
        }
        if (url.isPresent() && password.isEmpty()) {
            // The default password is the local stack's: a database anywhere else gets its own, never a known one.
            throw new ConfigException("DB_PASSWORD or DB_PASSWORD_FILE is required with DB_URL");
        }
        return new DatabaseConfig(
                url.orElse("jdbc:postgresql://localhost:5432/" + databasePrefix + "_db"),
                env.secret("DB_USER").orElse(databasePrefix + "_user"),
                password.orElse(databasePrefix + "_user"),
                env.positiveInt("DB_POOL_SIZE", 10),
                positive(env, "DB_SOCKET_TIMEOUT", Duration.ofSeconds(60)));
    }

    /** Without the values of the OTEL_ variables: OTEL_EXPORTER_OTLP_HEADERS may hold a collector's credentials. */
    @Override
    public String toString() {
        return "CommonConfig[serviceName=" + serviceName + ", http=" + http + ", database=" + database + ", kafkaBootstrapServers="
                + kafkaBootstrapServers + ", kafkaProperties=" + kafkaProperties + ", consumerThreads=" + consumerThreads
                + ", consumerFetchWait=" + consumerFetchWait + ", instanceId=" + instanceId.orElse("-") + ", openTelemetryEnv="
                + new java.util.TreeSet<>(openTelemetryEnv.keySet()) + "]";
    }

    /** The name this process goes by: its INSTANCE_ID, else the service's name. */
    public String processName() {
        return instanceId.orElse(serviceName);
    }

    private static Optional<String> instanceId(Env env) {
        String id = env.string("INSTANCE_ID", "");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ConfigException("INSTANCE_ID must be 1 to 100 letters, digits, '.', '_' or '-', got '" + id + "'");
        }
        return Optional.of(id);
    }

    /** Below 20 s a healthy relay waiting on Kafka (5 s metadata, 15 s delivery timeout) could be taken for cut off. */
    private static Duration leaderSilence(Env env) {
        Duration silence = positive(env, "OUTBOX_LEADER_SILENCE", Duration.ofSeconds(30));
        if (silence.compareTo(Duration.ofSeconds(20)) < 0) {
            throw new ConfigException("OUTBOX_LEADER_SILENCE must be at least 20s (a relay waiting on Kafka is silent that long), got "
                    + silence.toSeconds() + "s");
        }
        return silence;
    }

    private static Duration positive(Env env, String name, Duration defaultValue) {
        Duration value = env.duration(name, defaultValue);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(name + " must be more than 0, got " + value);
        }
        return value;
    }

    /** Connection settings of the service's own database. */
    public record DatabaseConfig(String url, String user, String password, int maxPoolSize, Duration socketTimeout) {
        @Override
        public String toString() {
            // The URL's parameters may hold a password (password=..., sslpassword=...): they are not printed.
            return "DatabaseConfig[url=" + url.split("\\?")[0] + ", user=" + user + ", maxPoolSize=" + maxPoolSize + ", socketTimeout=" + socketTimeout + "]";
        }
    }
}
