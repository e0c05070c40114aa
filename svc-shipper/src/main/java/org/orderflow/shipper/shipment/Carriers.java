package org.orderflow.shipper.shipment;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.orderflow.contract.events.OrderPickedAndPacked;
import org.orderflow.contract.events.OrderShipped;

/**
 * Hands a packed order to a carrier: the carrier by the order id, a tracking number of 16 random characters after the
 * carrier's name (unambiguous letters and digits), and a delivery 2 to 4 days later.
 */
final class Carriers {
    private static final List<String> CARRIERS = List.of("DHL", "UPS", "FedEx", "PostNL");
    private static final char[] TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int TRACKING_CODE_LENGTH = 16;

    private final SecureRandom random = new SecureRandom();

    OrderShipped ship(OrderPickedAndPacked packed, Instant now) {
        String carrier = CARRIERS.get(Math.floorMod(packed.orderId().hashCode(), CARRIERS.size()));
        String trackingNumber = carrier.toUpperCase(Locale.ROOT) + "-" + randomCode();
        LocalDate estimatedDelivery = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(2 + Math.floorMod(packed.orderId().hashCode(), 3));
        return new OrderShipped(packed.orderId(), packed.customerId(), carrier, trackingNumber, estimatedDelivery, now);
    }

    private String randomCode() {
        char[] code = new char[TRACKING_CODE_LENGTH];
        for (int i = 0; i < code.length; i++) {
            code[i] = TRACKING_ALPHABET[random.nextInt(TRACKING_ALPHABET.length)];
        }
        return new String(code);
    }
}
