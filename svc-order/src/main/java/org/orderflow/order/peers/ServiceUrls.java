package org.orderflow.order.peers;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orderflow.service.config.ConfigException;

/**
 * Where each service's instances answer HTTP, from {@code SERVICE_URLS}: {@code name=url} entries separated by commas,
 * a name given once per instance ({@code svc-inventory=http://inventory-0:8082,svc-inventory=http://inventory-1:8082}).
 * The pages reach the catalogue and the notifications through them, and the operations page every instance's status.
 *
 * @param instances each service's instance URLs, in the order given
 */
public record ServiceUrls(Map<String, List<URI>> instances) {
    /** The services of `make up`, one instance each on its default port. */
    public static final String LOCAL = "svc-order=http://localhost:8081,svc-inventory=http://localhost:8082,"
            + "svc-warehouse=http://localhost:8083,svc-shipper=http://localhost:8084,svc-notification=http://localhost:8085";
    private static final List<String> REQUIRED = List.of("svc-order", "svc-inventory", "svc-warehouse", "svc-shipper", "svc-notification");

    public ServiceUrls {
        Map<String, List<URI>> copy = new LinkedHashMap<>();
        instances.forEach((service, urls) -> copy.put(service, List.copyOf(urls)));
        instances = java.util.Collections.unmodifiableMap(copy);
    }

    /** Parses {@code SERVICE_URLS}; a ConfigException names what is wrong. */
    public static ServiceUrls parse(String value) {
        Map<String, List<URI>> instances = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            int equals = trimmed.indexOf('=');
            if (equals < 1) {
                throw new ConfigException("SERVICE_URLS: '" + trimmed + "' is not name=url (e.g. svc-inventory=http://localhost:8082)");
            }
            instances.computeIfAbsent(trimmed.substring(0, equals).trim(), name -> new ArrayList<>()).add(url(trimmed.substring(equals + 1).trim()));
        }
        List<String> missing = REQUIRED.stream().filter(name -> !instances.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new ConfigException("SERVICE_URLS names no instance of " + String.join(", ", missing));
        }
        return new ServiceUrls(instances);
    }

    private static URI url(String text) {
        try {
            URI url = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if ((url.getScheme() != null && (url.getScheme().equals("http") || url.getScheme().equals("https"))) && url.getHost() != null
                    && (url.getPath() == null || url.getPath().isEmpty()) && url.getQuery() == null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ConfigException("SERVICE_URLS: '" + text + "' is not an http(s)://host:port address");
    }
}
