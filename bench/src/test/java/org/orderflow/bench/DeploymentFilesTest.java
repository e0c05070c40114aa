package org.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.orderflow.contract.Topics;
import org.orderflow.outbox.KafkaClientProperties;
import org.orderflow.service.config.Env;

/**
 * deploy/'s Dockerfile, compose file and Kubernetes manifests cannot run here (no Docker engine, no cluster), so they
 * are checked as files: every variable they set is one the service reads, ports and probe paths are the services'
 * own, images, names, secrets and the topics they create agree with each other and with the code.
 */
class DeploymentFilesTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("svc-order", "svc-inventory", "svc-warehouse", "svc-shipper", "svc-notification");
    private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
    /** Read by the JVM or the base image, not by the services. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    private static final String CONTAINER_PORT = "8080";
    private static final String USER_ID = "10001";

    @Test
    void theImageRunsTheChosenServiceAsAnUnprivilegedUserOnItsPort() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        Map<String, String> env = dockerEnv(dockerfile);

        assertThat(dockerfile).contains("ARG SERVICE", "USER " + USER_ID + ":" + USER_ID, "EXPOSE " + CONTAINER_PORT,
                "ENTRYPOINT [\"java\", \"-jar\", \"/app/service.jar\"]");
        assertThat(lastFrom(dockerfile)).as("a JRE, not a JDK").contains("-jre");
        assertThat(env).containsEntry("HTTP_PORT", CONTAINER_PORT).containsEntry("HTTP_HOST", "0.0.0.0");
        SERVICES.forEach(service -> assertThat(unknownVariables(service, env.keySet())).as(service).isEmpty());
        assertThat(DEPLOY.resolve("Dockerfile.dockerignore")).exists();
    }

    @Test
    void composeBuildsEachServiceFromItsModuleWithSettingsItReads() throws IOException {
        JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
        JsonNode services = compose.get("services");

        for (String name : SERVICES) {
            JsonNode service = services.get(name);
            assertThat(service).as(name).isNotNull();
            assertThat(service.at("/build/args/SERVICE").asText()).isEqualTo(name);
            assertThat(DEPLOY.resolve("..").resolve(name).resolve("pom.xml")).exists();
            assertThat(service.get("image").asText()).isEqualTo("orderflow/" + name);
            assertThat(service.get("ports").get(0).asText()).endsWith(":" + CONTAINER_PORT);
            Map<String, String> env = fields(service.get("environment"));
            assertThat(unknownVariables(name, env.keySet())).as(name).isEmpty();
            assertAuthenticated(name, env);
            String secret = Path.of(env.get("DB_PASSWORD_FILE")).getFileName().toString();
            assertThat(env.get("DB_PASSWORD_FILE")).isEqualTo("/run/secrets/" + secret);
            assertThat(texts(service.get("secrets"))).contains(secret);
            assertThat(DEPLOY.resolve(compose.at("/secrets/" + secret + "/file").asText())).exists();
            assertThat(service.at("/depends_on/kafka-topics/condition").asText()).isEqualTo("service_completed_successfully");
        }
        for (JsonNode volume : compose.at("/services/prometheus/volumes")) {
            assertThat(DEPLOY.resolve(volume.asText().split(":")[0])).as(volume.asText()).exists();
        }
        assertThat(prometheusTargets(DEPLOY.resolve("compose/prometheus.yml")))
                .containsExactlyElementsOf(SERVICES.stream().map(name -> name + ":" + CONTAINER_PORT).toList());
    }

    @Test
    void kubernetesDeploymentsProbeTheServicesOwnRoutesAndReadOnlyWhatTheyKnow() throws IOException {
        JsonNode kustomization = YAML.readTree(DEPLOY.resolve("kubernetes/base/kustomization.yaml").toFile());
        Map<String, String> common = new HashMap<>();
        List<String> generatedSecrets = new ArrayList<>();
        kustomization.get("configMapGenerator").forEach(map -> map.path("literals").forEach(literal -> {
            String[] pair = literal.asText().split("=", 2);
            common.put(pair[0], pair[1]);
        }));
        kustomization.get("secretGenerator").forEach(secret -> generatedSecrets.add(secret.get("name").asText()));
        texts(kustomization.get("resources")).forEach(resource -> assertThat(DEPLOY.resolve("kubernetes/base").resolve(resource)).exists());

        for (String name : SERVICES) {
            List<JsonNode> documents = documents(DEPLOY.resolve("kubernetes/base/" + name + ".yaml"));
            JsonNode deployment = documents.get(0);
            JsonNode service = documents.get(1);
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = pod.get("containers").get(0);
            assertThat(deployment.get("kind").asText()).isEqualTo("Deployment");
            assertThat(deployment.at("/metadata/name").asText()).isEqualTo(name);
            assertThat(container.get("image").asText()).startsWith("orderflow/" + name + ":");
            assertThat(container.at("/ports/0/containerPort").asText()).isEqualTo(CONTAINER_PORT);
            String portName = container.at("/ports/0/name").asText();
            Map<String, String> env = new HashMap<>(common);
            container.get("env").forEach(variable -> env.put(variable.get("name").asText(), variable.path("value").asText()));
            String probedPort = env.getOrDefault("MANAGEMENT_PORT", CONTAINER_PORT);
            String probedPortName = portNamed(container, probedPort);
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
            for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe + " of " + name).isEqualTo(probedPortName);
            }
            assertThat(deployment.at("/spec/template/metadata/annotations").path("prometheus.io/port").asText()).isEqualTo(probedPort);
            assertThat(container.at("/lifecycle/preStop/exec/command")).as("a preStop drain").isNotEmpty();
            assertThat(container.at("/resources/requests/cpu").asText()).isNotEmpty();
            assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asText()).isEqualTo(USER_ID);
            assertThat(deployment.at("/spec/selector/matchLabels")).isEqualTo(service.at("/spec/selector"));
            assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo(portName);
            assertThat(service.at("/spec/ports")).as("the Service exposes the API only").hasSize(1);

            assertThat(unknownVariables(name, env.keySet())).as(name).isEmpty();
            assertAuthenticated(name, env);
            for (JsonNode volume : pod.get("volumes")) {
                if (volume.has("secret")) {
                    assertThat(generatedSecrets).as("secret of " + name).contains(volume.at("/secret/secretName").asText());
                }
            }
            env.entrySet().stream().filter(entry -> entry.getKey().endsWith("_FILE") || entry.getKey().endsWith("_LOCATION")
                    || entry.getValue().contains("sslrootcert=")).forEach(entry -> assertThat(mounted(container, entry.getValue()))
                    .as(entry.getKey() + " is under a mounted volume").isTrue());
        }
    }

    @Test
    void everyTopicsScriptCreatesThePipelinesTopics() throws IOException {
        for (Path script : List.of(DEPLOY.resolve("kubernetes/base/create-topics.sh"), DEPLOY.resolve("../scripts/init-kafka.sh"))) {
            Matcher list = Pattern.compile("(?s)(?:for topic in|TOPICS=\\()(.*?)(?:;|\\))").matcher(Files.readString(script));
            assertThat(list.find()).as(script.toString()).isTrue();
            assertThat(List.of(list.group(1).replace("\\", " ").trim().split("\\s+")))
                    .as(script.toString()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        }
    }

    /** Deployed, a service asks for a token signed by a key of a JWKS, from one issuer, for one audience. */
    private static void assertAuthenticated(String service, Map<String, String> env) {
        assertThat(env.getOrDefault("AUTH", "on")).as(service + " AUTH").isEqualTo("on");
        assertThat(env).as(service).containsKeys("AUTH_ISSUER", "AUTH_AUDIENCE");
        assertThat(env.containsKey("AUTH_JWKS_URL") || env.containsKey("AUTH_JWKS_FILE")).as(service + " has a JWKS").isTrue();
    }

    private static String portNamed(JsonNode container, String number) {
        for (JsonNode port : container.get("ports")) {
            if (port.get("containerPort").asText().equals(number)) {
                return port.get("name").asText();
            }
        }
        throw new AssertionError("no container port " + number + " in " + container.get("name").asText());
    }

    /** Variables of {@code names} that the service's Config does not read. */
    private static Set<String> unknownVariables(String service, Set<String> names) {
        Set<String> known = namesRead(service);
        Set<String> unknown = new LinkedHashSet<>();
        for (String name : names) {
            boolean kafkaProperty = known.contains("KAFKA_*") && name.startsWith("KAFKA_") && isKafkaClientProperty(name);
            boolean otel = known.contains("OTEL_*") && name.startsWith("OTEL_");
            if (!known.contains(name) && !kafkaProperty && !otel && !JVM_VARIABLES.contains(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    private static boolean isKafkaClientProperty(String variable) {
        String name = variable.endsWith("_FILE") ? variable.substring(0, variable.length() - "_FILE".length()) : variable;
        return KafkaClientProperties.isClientProperty(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'));
    }

    /** What the service's {@code Config.fromEnv} asks its environment for, defaults all round. */
    private static Set<String> namesRead(String service) {
        String name = service.substring("svc-".length());
        try {
            Method fromEnv = Class.forName("org.orderflow." + name + ".Config").getDeclaredMethod("fromEnv", Env.class);
            fromEnv.setAccessible(true);
            Env env = Env.of(Map.of("AUTH", "off")); // authentication off needs no keys; its variables are read all the same
            fromEnv.invoke(null, env);
            return env.namesRead();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Cannot read the settings of " + service, e);
        }
    }

    private static boolean mounted(JsonNode container, String value) {
        for (JsonNode mount : container.get("volumeMounts")) {
            if (value.contains(mount.get("mountPath").asText() + "/")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> dockerEnv(String dockerfile) {
        Map<String, String> env = new HashMap<>();
        Matcher block = Pattern.compile("(?m)^ENV ((?:.*\\\\\\n)*.*)$").matcher(dockerfile);
        while (block.find()) {
            Matcher pair = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(block.group(1));
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2).replace("\"", ""));
            }
        }
        return env;
    }

    private static String lastFrom(String dockerfile) {
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        String last = "";
        while (from.find()) {
            last = from.group(1);
        }
        return last;
    }

    private static List<String> prometheusTargets(Path config) throws IOException {
        return texts(YAML.readTree(config.toFile()).at("/scrape_configs/0/static_configs/0/targets"));
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents;
    }

    private static Map<String, String> fields(JsonNode object) {
        Map<String, String> fields = new HashMap<>();
        object.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().asText()));
        return fields;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
