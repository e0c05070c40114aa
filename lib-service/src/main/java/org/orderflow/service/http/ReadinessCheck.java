package org.orderflow.service.http;

import java.util.Optional;

/** One dependency /ready depends on: empty when it is usable, otherwise a short reason. */
@FunctionalInterface
public interface ReadinessCheck {
    Optional<String> problem();
}
