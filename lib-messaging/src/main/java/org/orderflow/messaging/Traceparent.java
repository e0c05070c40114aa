package org.orderflow.messaging;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** W3C trace context ({@code 00-<trace id>-<span id>-01}): a new trace, or a child span of a received one. */
public final class Traceparent {
    private static final HexFormat HEX = HexFormat.of();

    private Traceparent() {
    }

    public static String root() {
        return "00-" + randomHex(16) + "-" + randomHex(8) + "-01";
    }

    /** A new span in the trace of {@code parent}; a new trace when the parent is missing or malformed. */
    public static String childOf(String parent) {
        if (parent == null || !parent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")) {
            return root();
        }
        return "00-" + parent.substring(3, 35) + "-" + randomHex(8) + "-01";
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HEX.formatHex(random);
    }
}
