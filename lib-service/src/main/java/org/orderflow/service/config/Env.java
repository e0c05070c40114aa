package org.orderflow.service.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed reads of environment variables with defaults. Every failure names the variable, so a service that is
 * misconfigured stops at start-up with a message a person can act on.
 */
public final class Env {
    private final Map<String, String> variables;
    private final Set<String> namesRead = ConcurrentHashMap.newKeySet();

    private Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /**
     * The names this environment was asked for so far, sorted; a family read by its prefix as {@code PREFIX*}. After a
     * service's configuration was read, they are the variables it knows: what a deployment may set.
     */
    public Set<String> namesRead() {
        return new TreeSet<>(namesRead);
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables);
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public int port(String name, int defaultValue) {
        int port = integer(name, defaultValue);
        if (port < 0 || port > 65535) {
            throw new ConfigException(name + " must be a port number from 0 to 65535, got " + port);
        }
        return port;
    }

    public int positiveInt(String name, int defaultValue) {
        int value = integer(name, defaultValue);
        if (value <= 0) {
            throw new ConfigException(name + " must be a positive whole number, got " + value);
        }
        return value;
    }

    /** A duration in milliseconds ({@code 250}) or with a unit ({@code 250ms}, {@code 2s}, {@code 1m}). */
    public Duration duration(String name, Duration defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        String text = raw.get().trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a duration such as 500ms, 2s or 1m, got '" + raw.get() + "'");
        }
    }

    public double fraction(String name, double defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.get().trim());
            if (value < 0 || value > 1) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a number from 0 to 1, got '" + raw.get() + "'");
        }
    }

    /**
     * A secret: the variable's value, or the content of the file named by {@code <name>_FILE} (as Docker and Kubernetes
     * mount secrets), without its trailing line break. Both set is an error: which one wins would be a guess.
     */
    public Optional<String> secret(String name) {
        Optional<String> value = optional(name);
        Optional<Path> file = path(name + "_FILE");
        if (value.isPresent() && file.isPresent()) {
            throw new ConfigException(name + " and " + name + "_FILE are both set; set one");
        }
        if (file.isEmpty()) {
            return value;
        }
        try {
            // Only the line break an editor or `echo` leaves: spaces may be part of a password.
            String content = Files.readString(file.get()).replaceFirst("\\R+\\z", "");
            if (content.isEmpty()) {
                throw new ConfigException(name + "_FILE " + file.get() + " is empty");
            }
            return Optional.of(content);
        } catch (IOException e) {
            throw new ConfigException(name + "_FILE " + file.get() + " cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    /** A path to an existing, readable file. */
    public Optional<Path> path(String name) {
        Optional<Path> path = optional(name).map(value -> Path.of(value.trim()));
        path.ifPresent(file -> {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new ConfigException(name + " must name a readable file, got '" + file + "'");
            }
        });
        return path;
    }

    /** The variables whose names start with {@code prefix} (OTEL_ for the OpenTelemetry SDK's own settings). */
    public Map<String, String> withPrefix(String prefix) {
        namesRead.add(prefix + "*");
        Map<String, String> matching = new java.util.TreeMap<>();
        variables.forEach((name, value) -> {
            if (name.startsWith(prefix) && !value.isBlank()) {
                matching.put(name, value);
            }
        });
        return Map.copyOf(matching);
    }

    /** One of {@code allowed} (case-insensitive, given in lower case), or the default. */
    public String oneOf(String name, java.util.List<String> allowed, String defaultValue) {
        String value = string(name, defaultValue).trim().toLowerCase(java.util.Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new ConfigException(name + " must be one of " + String.join(", ", allowed) + ", got '" + string(name, defaultValue) + "'");
        }
        return value;
    }

    private int integer(String name, int defaultValue) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    Optional<String> optional(String name) {
        namesRead.add(name);
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }
}
