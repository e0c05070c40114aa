package org.orderflow.cli.dlq;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.orderflow.cli.DurationConverter;
import org.orderflow.cli.Main;
import org.orderflow.cli.Settings;
import org.orderflow.messaging.EventHeaders;
import org.orderflow.messaging.Printable;
import org.orderflow.messaging.dlq.DeadLetter;
import org.orderflow.messaging.dlq.DeadLetterQueue;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code orderflow dlq}: the dead letters on the DeadLetterQueue topic. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "List, show and replay dead letters (topic DeadLetterQueue).",
        subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
public final class DlqCommand {
    @ParentCommand
    private Main main;

    DeadLetterQueue open() {
        Map<String, Object> cluster = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, main.settings().bootstrapServers());
        return new DeadLetterQueue(main.settings().kafkaProperties().forConsumer(cluster), main.settings().kafkaProperties().forProducer(cluster));
    }

    /** The filters of list and replay --all. */
    static final class Filter {
        @Option(names = "--topic", description = "only dead letters from this original topic (e.g. OrderReceived)")
        String topic;

        @Option(names = "--service", description = "only those this service dead-lettered (order or svc-order, ...)")
        String service;

        @Option(names = "--since", converter = DurationConverter.class, description = "only those written in the last 90s, 5m, 2h, 1d")
        Duration since;

        List<DeadLetter> read(DeadLetterQueue queue) {
            List<DeadLetter> all = since == null ? queue.readAll() : queue.readSince(Clock.systemUTC().instant().minus(since));
            return all.stream()
                    .filter(d -> topic == null || d.originalTopic().equals(topic))
                    .filter(d -> service == null || Settings.shortName(d.service()).equals(Settings.shortName(service)))
                    .toList();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The dead letters, oldest first, one a line.")
    static final class ListDeadLetters implements Runnable {
        @ParentCommand
        private DlqCommand dlq;
        @Spec
        private CommandSpec spec;
        @ArgGroup(exclusive = false)
        private Filter filter = new Filter();

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (DeadLetterQueue queue = dlq.open()) {
                List<DeadLetter> deadLetters = filter.read(queue);
                out.printf("%-10s %-24s %-17s %-26s %-38s %s%n", "ID", "FAILED AT", "SERVICE", "FROM", "KEY", "ERROR");
                for (DeadLetter d : deadLetters) {
                    out.printf("%-10s %-24s %-17s %-26s %-38s %s%n", d.id(), Printable.shorten(d.context().getOrDefault("dlq_failed_at", "?"), 24),
                            d.service(), d.from(), Printable.shorten(Printable.text(d.key()), 38), error(d));
                }
                out.printf("%d dead letter(s)%n", deadLetters.size());
            }
        }

        private static String error(DeadLetter d) {
            return (d.isMinimal() ? "[minimal] " : "") + Printable.shorten(d.error(), 100);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One dead letter: why, where from, headers, payload.")
    static final class Show implements Runnable {
        @ParentCommand
        private DlqCommand dlq;
        @Spec
        private CommandSpec spec;
        @Parameters(paramLabel = "ID", description = "<partition>@<offset>, as `orderflow dlq list` shows")
        private String id;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            try (DeadLetterQueue queue = dlq.open()) {
                DeadLetter d = queue.read(id).orElseThrow(() -> new IllegalArgumentException("No dead letter " + id));
                out.printf("Dead letter %s, written %s%n%n", d.id(), Instant.ofEpochMilli(d.timestamp()));
                out.println("Context:");
                d.context().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .forEach(e -> out.printf("  %-28s %s%n", e.getKey(), e.getValue()));
                out.printf("%nOriginal key: %s%n", Printable.text(d.key()));
                out.println("Original headers:");
                d.original().forEach(header -> out.printf("  %-28s %s%n", header.key(), Printable.text(header.value())));
                out.printf("%nPayload (%d bytes):%n%s%n", d.value().length, Printable.payload(d.value()));
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Send dead letters back to their original topic, with their original key, value and headers.",
                    "The consumer applies a replayed event once: a second replay of the same dead letter is a duplicate."})
    static final class Replay implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        private DlqCommand dlq;
        @Spec
        private CommandSpec spec;
        @Parameters(paramLabel = "ID", arity = "0..*", description = "dead letter ids (<partition>@<offset>)")
        private List<String> ids = new ArrayList<>();
        @Option(names = "--all", description = "every dead letter that the filters select")
        private boolean all;
        @ArgGroup(exclusive = false)
        private Filter filter = new Filter();

        @Override
        public Integer call() throws Exception {
            if (all == !ids.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Name the dead letters to replay, or --all (with --topic, --service, --since)");
            }
            PrintWriter out = spec.commandLine().getOut();
            int failed = 0;
            int replayed = 0;
            try (DeadLetterQueue queue = dlq.open()) {
                List<DeadLetter> chosen = new ArrayList<>();
                if (all) {
                    chosen.addAll(filter.read(queue));
                } else {
                    for (String id : ids) {
                        Optional<DeadLetter> found = queue.read(id);
                        if (found.isEmpty()) {
                            out.printf("%s: no such dead letter%n", id);
                            failed++;
                        }
                        found.ifPresent(chosen::add);
                    }
                }
                for (DeadLetter d : chosen) {
                    if (d.isMinimal()) {
                        out.printf("%s: minimal (its original could not be stored); read it at %s while Kafka keeps it%n", d.id(), d.from());
                        failed++;
                        continue;
                    }
                    RecordMetadata sent = queue.replay(d);
                    replayed++;
                    out.printf("%s: replayed to %s-%d@%d (%s %s)%n", d.id(), sent.topic(), sent.partition(), sent.offset(),
                            EventHeaders.REPLAY_OF, "DeadLetterQueue-" + d.id());
                }
                out.printf("%d replayed, %d not%n", replayed, failed);
            }
            return failed == 0 ? 0 : 1;
        }
    }
}
