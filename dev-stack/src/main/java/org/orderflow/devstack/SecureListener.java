package org.orderflow.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A SASL_SSL listener beside a node's PLAINTEXT one, as production clusters require: TLS with a self-signed
 * certificate for {@code localhost} (made here with the JDK's {@code keytool}), and SCRAM-SHA-512 users. The
 * PLAINTEXT listener stays for the brokers' own traffic and for tests that set the cluster up.
 *
 * @param port        the listener's port
 * @param keyStore    the broker's key and certificate (PKCS12)
 * @param certificate the certificate alone (PEM): what clients trust
 * @param password    the key store's password
 */
public record SecureListener(int port, Path keyStore, Path certificate, String password) {
    static final String MECHANISM = "SCRAM-SHA-512";

    /** Makes the listener's certificate under {@code dir}. */
    public static SecureListener create(Path dir, int port) {
        String password = UUID.randomUUID().toString();
        Path keyStore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.pem");
        keytool(List.of("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password));
        keytool(List.of("-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", password,
                "-file", certificate.toString()));
        return new SecureListener(port, keyStore, certificate, password);
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /**
     * The environment variables that make a service a client of this listener, its user and password in the JAAS file
     * {@code jaasFile} (as a mounted secret would be; see {@link #jaasConfig}).
     */
    public Map<String, String> clientEnvironment(Path jaasFile) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", MECHANISM,
                "KAFKA_SASL_JAAS_CONFIG_FILE", jaasFile.toString(),
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", certificate.toString());
    }

    /** The settings of a Kafka client of this listener as {@code user}. */
    public Map<String, Object> clientProperties(String user, String password) {
        return Map.of("bootstrap.servers", bootstrapServers(),
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaasConfig(user, password),
                "ssl.truststore.type", "PEM",
                "ssl.truststore.location", certificate.toString());
    }

    /** The JAAS configuration of a SCRAM client. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** The broker's settings of this listener, to add to the node's own. */
    String listener() {
        return "SASL_SSL://localhost:" + port;
    }

    List<String> serverProperties() {
        return List.of(
                "sasl.enabled.mechanisms=" + MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.sasl_ssl.ssl.keystore.type=PKCS12",
                "listener.name.sasl_ssl.ssl.keystore.location=" + keyStore,
                "listener.name.sasl_ssl.ssl.keystore.password=" + password,
                "listener.name.sasl_ssl.ssl.key.password=" + password);
    }

    private static void keytool(List<String> arguments) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(arguments);
        Processes.run(command, Duration.ofMinutes(1));
    }
}
