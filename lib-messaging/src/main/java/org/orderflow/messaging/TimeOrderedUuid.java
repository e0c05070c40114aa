package org.orderflow.messaging;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUIDs of version 7 (RFC 9562): the Unix time in milliseconds in the first 48 bits, then 74 random bits. Event ids
 * and order ids are primary keys in every service's database (inbox, notifications, orders, reservations...). With
 * random (version 4) keys each insert lands on a random page of the index: the pages a second's inserts dirty are
 * spread over the whole index, each written whole to the WAL once after every checkpoint. Ids made close in time
 * sort close together, so new keys go to the right edge of the index, as a sequence's would, while staying unique
 * across processes without coordination. The random bits come from {@link SecureRandom}, as {@link UUID#randomUUID()}'s
 * do: an order id is what its URL is, and 74 random bits keep it unguessable.
 */
public final class TimeOrderedUuid {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeOrderedUuid() {
    }

    /** A new version 7 UUID for the current time. */
    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long unixMillis) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long randA = ((random[0] & 0xFFL) << 8 | (random[1] & 0xFFL)) & 0xFFFL;
        long randB = 0;
        for (int i = 2; i < 10; i++) {
            randB = randB << 8 | (random[i] & 0xFFL);
        }
        long mostSignificant = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long leastSignificant = 0x8000_0000_0000_0000L | (randB & 0x3FFF_FFFF_FFFF_FFFFL);
        return new UUID(mostSignificant, leastSignificant);
    }

    /** The time of a version 7 UUID, in Unix milliseconds. */
    static long unixMillisOf(UUID uuid) {
        return uuid.getMostSignificantBits() >>> 16;
    }
}
