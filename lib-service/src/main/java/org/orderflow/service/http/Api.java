package org.orderflow.service.http;

import io.javalin.Javalin;
import java.util.List;

/** A service's HTTP app (not started) and the operations it serves ("GET /orders/{id}"). */
public record Api(Javalin app, List<String> operations) {
}
