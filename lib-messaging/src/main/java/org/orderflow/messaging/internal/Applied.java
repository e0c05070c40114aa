package org.orderflow.messaging.internal;

import java.util.ArrayList;
import java.util.List;

/** What one transaction did with its records; counted only once it committed. */
final class Applied {
    final List<Item> applied = new ArrayList<>();
    final List<Item> deadLettered = new ArrayList<>();
    int duplicates;
    int passedOver;

    static Applied passingOver(int count) {
        Applied applied = new Applied();
        applied.passedOver = count;
        return applied;
    }
}
