package org.orderflow.cli.orders;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.orderflow.cli.DurationConverter;
import org.orderflow.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code orderflow orders}: orders as svc-order knows them. */
@Command(name = "orders", mixinStandardHelpOptions = true, description = "Orders on their way, as svc-order knows them.",
        subcommands = OrdersCommand.Stuck.class)
public final class OrdersCommand {
    /** Who an order in a status waits for. */
    private static final Map<String, String> WAITING_FOR = Map.of(
            "RECEIVED", "svc-inventory (reservation), or svc-order's outbox if OrderReceived is not published",
            "CONFIRMED", "svc-warehouse (pick and pack)",
            "PICKED_AND_PACKED", "svc-shipper (shipment)");

    @ParentCommand
    private Main main;

    @Command(name = "stuck", mixinStandardHelpOptions = true,
            description = "Orders not in a final state (SHIPPED, CANCELLED, REJECTED) after --older-than, by status, with the service they wait for.")
    static final class Stuck implements Runnable {
        @ParentCommand
        private OrdersCommand orders;
        @Spec
        private CommandSpec spec;
        @Option(names = "--older-than", converter = DurationConverter.class, defaultValue = "5m",
                description = "placed longer ago than this (default ${DEFAULT-VALUE}): 90s, 5m, 2h, 1d")
        private Duration olderThan;
        @Option(names = "--limit", defaultValue = "50", description = "orders listed at most, oldest first (default ${DEFAULT-VALUE})")
        private int limit;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            List<StuckOrder> stuck = orders.main.settings().database("order").jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT order_id, status, created_at, cancel_requested_at IS NOT NULL AS cancelling
                            FROM orders
                            WHERE status NOT IN ('SHIPPED', 'CANCELLED', 'REJECTED')
                              AND created_at < now() - make_interval(secs => :seconds)
                            ORDER BY created_at LIMIT :limit""")
                    .bind("seconds", (double) olderThan.toSeconds())
                    .bind("limit", limit)
                    .map((rs, ctx) -> new StuckOrder(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getBoolean(4)))
                    .list());
            List<Map<String, Object>> byStatus = orders.main.settings().database("order").jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT status, count(*) AS orders, min(created_at) AS oldest FROM orders
                            WHERE status NOT IN ('SHIPPED', 'CANCELLED', 'REJECTED') AND created_at < now() - make_interval(secs => :seconds)
                            GROUP BY status ORDER BY status""")
                    .bind("seconds", (double) olderThan.toSeconds())
                    .mapToMap().list());
            out.printf("Orders not done %s after they were placed, by status:%n", olderThan.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
            for (Map<String, Object> row : byStatus) {
                out.printf("  %-18s %7s  oldest %s  waiting for %s%n", row.get("status"), row.get("orders"), row.get("oldest"),
                        WAITING_FOR.getOrDefault(String.valueOf(row.get("status")), "?"));
            }
            out.printf("%n%-38s %-18s %-28s %s%n", "ORDER", "STATUS", "PLACED AT", "WAITING FOR");
            for (StuckOrder order : stuck) {
                out.printf("%-38s %-18s %-28s %s%n", order.orderId(), order.status(), order.placedAt(),
                        order.cancelling() ? "svc-shipper (cancellation decision)" : WAITING_FOR.getOrDefault(order.status(), "?"));
            }
            out.printf("%d order(s) listed%n", stuck.size());
        }
    }

    private record StuckOrder(String orderId, String status, Instant placedAt, boolean cancelling) {
    }
}
