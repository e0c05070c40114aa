package org.orderflow.messaging.internal;

import java.util.concurrent.atomic.LongAdder;

/** Counts shared by the consumer threads of one {@link InboxConsumer}. */
final class Counters {
    final LongAdder applied = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
}
