package org.orderflow.service.http;

import io.javalin.Javalin;
import java.util.List;
import java.util.Optional;

/**
 * A service's HTTP app (not started), its management app when /health, /ready and /metrics have a port of their own
 * (MANAGEMENT_PORT), and the operations the app serves ("GET /orders/{id}").
 */
public record Api(Javalin app, Optional<Javalin> management, List<String> operations) {
}
