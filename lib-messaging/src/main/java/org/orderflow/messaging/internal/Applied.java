package org.orderflow.messaging.internal;

import java.util.ArrayList;
import java.util.List;

/** What one transaction did with its records; counted only once it committed. */
final class Applied {
    final List<Item> applied = new ArrayList<>();
    final List<Item> deadLettered = new ArrayList<>();
    final List<Item> duplicates = new ArrayList<>();
    final List<Item> passedOver = new ArrayList<>();

    static Applied passingOver(List<Item> items) {
        Applied applied = new Applied();
        applied.passedOver.addAll(items);
        return applied;
    }
}
