package org.orderflow.cli.outbox;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.orderflow.cli.Main;
import org.orderflow.cli.Settings;
import org.orderflow.outbox.OutboxAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code orderflow outbox}: each service's outbox, and the rows its relay parked. */
@Command(name = "outbox", mixinStandardHelpOptions = true, description = "The services' outboxes: how far behind, who publishes, parked rows.",
        subcommands = {OutboxCommand.Status.class, OutboxCommand.Parked.class})
public final class OutboxCommand {
    @ParentCommand
    private Main main;

    OutboxAdmin admin(String service) {
        return OutboxAdmin.create(main.settings().database(service).jdbi());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per service: pending rows, the oldest pending row's age, parked rows, the relay leader.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        private OutboxCommand outbox;
        @Spec
        private CommandSpec spec;
        @Option(names = "--service", description = "one service (order or svc-order, ...); all by default")
        private String service;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int unreachable = 0;
            out.printf("%-17s %8s %12s %7s  %s%n", "SERVICE", "PENDING", "OLDEST", "PARKED", "RELAY LEADER");
            for (String name : Settings.servicesOrAll(service, spec.commandLine())) {
                try {
                    OutboxAdmin.Status status = outbox.admin(name).status();
                    out.printf("%-17s %8d %11.1fs %7d  %s%n", "svc-" + name, status.pendingRows(), status.oldestPendingAge().toMillis() / 1000.0,
                            status.parkedRows(), status.relayLeader().map(Object::toString).orElse("none: no relay publishes"));
                } catch (RuntimeException e) {
                    unreachable++;
                    out.printf("%-17s unreachable: %s%n", "svc-" + name, rootMessage(e));
                }
            }
            return unreachable == 0 ? 0 : 1;
        }
    }

    @Command(name = "parked", mixinStandardHelpOptions = true, description = "Rows Kafka refused for good, set aside by the relay.",
            subcommands = {Parked.ListParked.class, Parked.Retry.class, Parked.Drop.class})
    static final class Parked {
        @ParentCommand
        private OutboxCommand outbox;

        @Command(name = "list", mixinStandardHelpOptions = true, description = "The parked rows of each service (or one).")
        static final class ListParked implements Runnable {
            @ParentCommand
            private Parked parked;
            @Spec
            private CommandSpec spec;
            @Option(names = "--service", description = "one service; all by default")
            private String service;

            @Override
            public void run() {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%-17s %8s %-30s %-14s %-38s %9s  %s%n", "SERVICE", "ID", "PARKED AT", "TOPIC", "KEY", "BYTES", "ERROR");
                int count = 0;
                for (String name : Settings.servicesOrAll(service, spec.commandLine())) {
                    for (OutboxAdmin.ParkedRow row : parked.outbox.admin(name).parked()) {
                        count++;
                        out.printf("%-17s %8d %-30s %-14s %-38s %9d  %s%n", "svc-" + name, row.id(), row.parkedAt(), row.topic(),
                                row.key(), row.payload().length, row.error());
                    }
                }
                out.printf("%d parked row(s)%n", count);
            }
        }

        @Command(name = "retry", mixinStandardHelpOptions = true,
                description = {"Put parked rows back at the outbox's tail, to be published again (after the cause is fixed).",
                        "--all retries every parked row of the service: after an ACL or topic mistake parked many."})
        static final class Retry implements Callable<Integer> {
            @ParentCommand
            private Parked parked;
            @Spec
            private CommandSpec spec;
            @Option(names = "--service", required = true, description = "the service whose outbox parked them")
            private String service;
            @Option(names = "--all", description = "every parked row of the service")
            private boolean all;
            @Parameters(paramLabel = "ID", arity = "0..*", description = "parked row ids, as `orderflow outbox parked list` shows")
            private List<Long> ids = new ArrayList<>();

            @Override
            public Integer call() {
                if (all == !ids.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "Name the parked rows to retry, or --all");
                }
                OutboxAdmin admin = parked.outbox.admin(Settings.servicesOrAll(service, spec.commandLine()).get(0));
                List<Long> chosen = all ? admin.parked().stream().map(OutboxAdmin.ParkedRow::id).toList() : ids;
                PrintWriter out = spec.commandLine().getOut();
                int missing = 0;
                for (long id : chosen) {
                    if (admin.retry(id)) {
                        out.println("Row " + id + " is back in the outbox of " + service);
                    } else {
                        out.println("No parked row " + id);
                        missing++;
                    }
                }
                out.printf("%d retried, %d not%n", chosen.size() - missing, missing);
                return missing == 0 ? 0 : 1;
            }
        }

        @Command(name = "drop", mixinStandardHelpOptions = true, description = "Delete a parked row for good.")
        static final class Drop implements Callable<Integer> {
            @ParentCommand
            private Parked parked;
            @Spec
            private CommandSpec spec;
            @Option(names = "--service", required = true, description = "the service whose outbox parked it")
            private String service;
            @Parameters(paramLabel = "ID", description = "the parked row's id, as `orderflow outbox parked list` shows")
            private long id;

            @Override
            public Integer call() {
                boolean dropped = parked.outbox.admin(Settings.servicesOrAll(service, spec.commandLine()).get(0)).drop(id);
                spec.commandLine().getOut().println(dropped ? "Row " + id + " dropped" : "No parked row " + id);
                return dropped ? 0 : 1;
            }
        }
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
