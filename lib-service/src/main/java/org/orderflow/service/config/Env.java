package org.orderflow.service.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of environment variables with defaults. Every failure names the variable, so a service that is
 * misconfigured stops at start-up with a message a person can act on.
 */
public final class Env {
    private final Map<String, String> variables;

    private Env(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
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

    /** The variables whose names start with {@code prefix} (OTEL_ for the OpenTelemetry SDK's own settings). */
    public Map<String, String> withPrefix(String prefix) {
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

    private Optional<String> optional(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }
}
