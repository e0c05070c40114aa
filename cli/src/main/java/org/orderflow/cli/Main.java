package org.orderflow.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.orderflow.cli.dlq.DlqCommand;
import org.orderflow.cli.orders.OrdersCommand;
import org.orderflow.cli.outbox.OutboxCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code orderflow}: the operator's command line. Each subcommand has {@code --help}. */
@Command(name = "orderflow", mixinStandardHelpOptions = true, version = "orderflow 0.1.0",
        description = "Operate an orderflow system: dead letters, outboxes, stuck orders.%n"
                + "Kafka and the services' databases are found as the services find them: KAFKA_BOOTSTRAP_SERVERS, "
                + "and per service ORDER_DB_URL, ORDER_DB_USER, ORDER_DB_PASSWORD (INVENTORY_..., WAREHOUSE_..., SHIPPER_..., "
                + "NOTIFICATION_...); the defaults are those of `make up` (KAFKA_PORT, PG_PORT).",
        subcommands = {DlqCommand.class, OutboxCommand.class, OrdersCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    private final Settings settings;

    Main(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; returns its exit code (0 done, 1 failed, 2 usage). */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        Settings settings;
        try {
            settings = Settings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            err.println("orderflow: " + e.getMessage());
            return 2;
        }
        CommandLine commandLine = new CommandLine(new Main(settings));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((failure, failed, parsed) -> {
            failed.getErr().println("orderflow: " + failure.getMessage());
            return 1;
        });
        return commandLine.execute(args);
    }
}
