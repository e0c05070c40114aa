package org.orderflow.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The classpath the build resolved for the child processes (Kafka broker, Kafka's console tools) and the jar
 * holding the PostgreSQL binaries. Written by maven-dependency-plugin into this module's resources, so it is
 * found the same way from `make up` and from any module's tests.
 */
public final class StackClasspath {
    private static final String RESOURCE = "/orderflow/dev-stack.classpath";

    private final List<String> entries;

    private StackClasspath(List<String> entries) {
        this.entries = entries;
    }

    public static StackClasspath load() {
        try (InputStream in = StackClasspath.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new StackException("Missing " + RESOURCE + ": build the dev-stack module first (mvn -pl dev-stack package)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return new StackClasspath(Arrays.asList(text.split(java.io.File.pathSeparator)));
        } catch (IOException e) {
            throw new StackException("Cannot read " + RESOURCE, e);
        }
    }

    public String asArgument() {
        return String.join(java.io.File.pathSeparator, entries);
    }

    Path jarNamed(String artifactPrefix) {
        return entries.stream()
                .map(Path::of)
                .filter(path -> path.getFileName().toString().startsWith(artifactPrefix))
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow(() -> new StackException("No " + artifactPrefix + "*.jar on the dev-stack classpath"));
    }
}
