package org.orderflow.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;

/**
 * The run's own products, created through svc-inventory's API before the run, so that nothing else moves their
 * stock: three with plenty, and one scarce enough to run out, so that some orders are rejected and compensated.
 */
final class Catalogue {
    static final int PLENTY = 1_000_000;
    static final int SCARCE = 100;
    private static final double SCARCE_SHARE = 0.05;

    private final List<String> plentiful;
    private final String scarce;

    private Catalogue(List<String> plentiful, String scarce) {
        this.plentiful = plentiful;
        this.scarce = scarce;
    }

    /** The run's products, stocked through svc-inventory as an operator ({@code bearerToken}). */
    static Catalogue create(String runId, int inventoryPort, String bearerToken) {
        Catalogue catalogue = new Catalogue(List.of("chaos-" + runId + "-a", "chaos-" + runId + "-b", "chaos-" + runId + "-c"),
                "chaos-" + runId + "-scarce");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        catalogue.initialStock().forEach((product, stock) -> put(http, inventoryPort, product, stock, bearerToken));
        return catalogue;
    }

    /** What each product had when the run began. */
    Map<String, Integer> initialStock() {
        Map<String, Integer> stock = new LinkedHashMap<>();
        plentiful.forEach(product -> stock.put(product, PLENTY));
        stock.put(scarce, SCARCE);
        return stock;
    }

    /** A product for an order line: mostly plentiful ones, now and then the scarce one. */
    String pick() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return random.nextDouble() < SCARCE_SHARE ? scarce : plentiful.get(random.nextInt(plentiful.size()));
    }

    /** On hand and reserved of each product now, from svc-inventory's database. */
    Map<String, Stock> stockNow(Jdbi inventory) {
        Map<String, Stock> now = new LinkedHashMap<>();
        inventory.useHandle(handle -> handle.createQuery("SELECT product_id, on_hand, reserved FROM products WHERE product_id IN (<ids>)")
                .bindList("ids", List.copyOf(initialStock().keySet()))
                .map((rows, context) -> new Stock(rows.getString("product_id"), rows.getInt("on_hand"), rows.getInt("reserved")))
                .forEach(stock -> now.put(stock.productId(), stock)));
        return now;
    }

    record Stock(String productId, int onHand, int reserved) {
    }

    private static void put(HttpClient http, int port, String product, int onHand, String bearerToken) {
        String body = "{\"name\":\"Chaos item\",\"price\":19.99,\"on_hand\":" + onHand + "}";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/products/" + product))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearerToken).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201 && response.statusCode() != 200) {
                throw new IllegalStateException("PUT /products/" + product + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("svc-inventory does not answer on port " + port + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted creating the run's products", e);
        }
    }
}
