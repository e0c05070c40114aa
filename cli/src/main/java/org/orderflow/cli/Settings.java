package org.orderflow.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.orderflow.outbox.KafkaClientProperties;
import picocli.CommandLine.ParameterException;

/**
 * Where the CLI finds Kafka and the services' databases: the services' own variables, a database's prefixed with
 * the service's name ({@code ORDER_DB_URL}, {@code INVENTORY_DB_USER}, ...). The defaults are those of `make up`.
 *
 * <pre>
 *   KAFKA_BOOTSTRAP_SERVERS                 host:port[,host:port...] (localhost:$KAFKA_PORT, 9092)
 *   KAFKA_PROPERTIES_FILE                   Kafka client properties (a secured cluster's security.protocol, sasl.*,
 *                                           ssl.*): the client.properties Kafka's own tools take with --command-config
 *   &lt;SERVICE&gt;_DB_URL                        jdbc:postgresql://localhost:$PG_PORT/&lt;service&gt;_db (PG_PORT 5432)
 *   &lt;SERVICE&gt;_DB_USER, &lt;SERVICE&gt;_DB_PASSWORD &lt;service&gt;_user
 * </pre>
 */
public record Settings(String bootstrapServers, KafkaClientProperties kafkaProperties, Map<String, Database> databases) {
    /** The services with a database, by the short name their variables and `--service` use. */
    public static final List<String> SERVICES = List.of("order", "inventory", "warehouse", "shipper", "notification");

    public static Settings fromEnv(Map<String, String> env) {
        String bootstrap = env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + env.getOrDefault("KAFKA_PORT", "9092"));
        String pgPort = env.getOrDefault("PG_PORT", "5432");
        Map<String, Database> databases = new LinkedHashMap<>();
        for (String service : SERVICES) {
            String prefix = service.toUpperCase(Locale.ROOT) + "_DB_";
            databases.put(service, new Database(
                    env.getOrDefault(prefix + "URL", "jdbc:postgresql://localhost:" + pgPort + "/" + service + "_db"),
                    env.getOrDefault(prefix + "USER", service + "_user"),
                    env.getOrDefault(prefix + "PASSWORD", service + "_user")));
        }
        return new Settings(bootstrap, kafkaProperties(env), Map.copyOf(databases));
    }

    private static KafkaClientProperties kafkaProperties(Map<String, String> env) {
        String file = env.getOrDefault("KAFKA_PROPERTIES_FILE", "");
        return file.isBlank() ? KafkaClientProperties.none() : KafkaClientProperties.fromFile(Path.of(file.trim()));
    }

    /** The database of {@code service} ("order" or "svc-order"). */
    public Database database(String service) {
        Database database = databases.get(shortName(service));
        if (database == null) {
            throw new IllegalArgumentException("No service '" + service + "'; one of " + SERVICES);
        }
        return database;
    }

    /** "svc-order" and "order" are the same service. */
    public static String shortName(String service) {
        return service.startsWith("svc-") ? service.substring(4) : service;
    }

    /** The services a command covers: the one named, or all. */
    public static List<String> servicesOrAll(String service, picocli.CommandLine commandLine) {
        if (service == null) {
            return SERVICES;
        }
        if (!SERVICES.contains(shortName(service))) {
            throw new ParameterException(commandLine, "No service '" + service + "'; one of " + SERVICES);
        }
        return List.of(shortName(service));
    }

    /** A service's database, by JDBC URL and credentials. */
    public record Database(String url, String user, String password) {
        public Jdbi jdbi() {
            return Jdbi.create(url + (url.contains("?") ? "&" : "?") + "connectTimeout=5&socketTimeout=30", user, password);
        }

        @Override
        public String toString() {
            return url + " as " + user;
        }
    }
}
