package org.orderflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.orderflow.devstack.PidFile;
import org.orderflow.devstack.KafkaCluster;

/**
 * CPU time used by the stack's processes (the five services, Kafka, all PostgreSQL processes, this benchmark), read
 * from /proc: utime + stime in clock ticks (100 per second on Linux).
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100.0;
    private static final List<String> SERVICES = List.of("order", "inventory", "warehouse", "shipper", "notification");

    private ProcessCpu() {
    }

    /** CPU seconds used so far, per process group name. */
    static Map<String, Double> sample(Path stackDir) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String service : SERVICES) {
            seconds.put("svc-" + service, serviceProcesses(stackDir, service).stream().mapToDouble(process -> cpuOfStat(process.resolve("stat"))).sum());
        }
        seconds.put("kafka", KafkaCluster.everyNode(stackDir).stream().flatMap(node -> node.process().stream())
                .mapToDouble(process -> cpuOf(process.pid())).sum());
        seconds.put("postgres", byCommand("postgres"));
        seconds.put("bench", cpuOf(ProcessHandle.current().pid()));
        return seconds;
    }

    /**
     * CPU seconds each of the services' JIT compiler threads has used so far, by pid and thread id. The JVM starts and
     * ends compiler threads as its queue grows and shrinks, so compare samples with {@link #jitSecondsBetween}.
     */
    static Map<String, Double> servicesJitThreads(Path stackDir) {
        Map<String, Double> seconds = new HashMap<>();
        for (String service : SERVICES) {
            for (Path process : serviceProcesses(stackDir, service)) {
                try (Stream<Path> threads = Files.list(process.resolve("task"))) {
                    threads.filter(task -> read(task.resolve("comm")).trim().matches("C[12] CompilerThre.*"))
                            .forEach(task -> seconds.put(process.getFileName() + "/" + task.getFileName(), cpuOfStat(task.resolve("stat"))));
                } catch (IOException e) {
                    // the process ended meanwhile: no compiler
                }
            }
        }
        return seconds;
    }

    /**
     * What the compiler threads alive at {@code after} used since {@code before}. A thread that ended in between is
     * left out with what it used since {@code before}: the JVM ends one when compiling slows down.
     */
    static double jitSecondsBetween(Map<String, Double> before, Map<String, Double> after) {
        return after.entrySet().stream().mapToDouble(thread -> thread.getValue() - before.getOrDefault(thread.getKey(), 0.0)).sum();
    }

    /**
     * The JVM options the running services were started with, from their command lines: what was measured, whatever
     * this process's environment says. Distinct option sets are joined by " | "; empty when no service runs.
     */
    static String serviceJavaOptions(Path stackDir) {
        Set<String> options = new LinkedHashSet<>();
        for (String service : SERVICES) {
            serviceProcesses(stackDir, service).forEach(process -> {
                List<String> arguments = List.of(read(process.resolve("cmdline")).split("\0"));
                int jar = arguments.indexOf("-jar");
                if (jar > 0) {
                    options.add(String.join(" ", arguments.subList(1, jar)));
                }
            });
        }
        return String.join(" | ", options);
    }

    /** The processor's model name (/proc/cpuinfo): runs on different machines are not comparable, and the figures say so. */
    static String cpuModel() {
        return read(Path.of("/proc/cpuinfo")).lines().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    }

    /** The /proc directories of the service's instances (svc-order, svc-order-1, ...), from the pid files `make up` wrote. */
    private static List<Path> serviceProcesses(Path stackDir, String service) {
        try (Stream<Path> files = Files.list(stackDir.resolve("run"))) {
            return files.filter(file -> file.getFileName().toString().matches("svc-" + service + "(-\\d+)?\\.pid"))
                    .map(PidFile::liveProcess).flatMap(Optional::stream).map(process -> Path.of("/proc", String.valueOf(process.pid())))
                    .filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * With the CPU of the processes' children that have ended: PostgreSQL's backends come and go (the pools renew their
     * connections every 30 minutes), and an ended backend's time moves to the postmaster's children's time.
     */
    private static double byCommand(String command) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> command.equals(read(p.resolve("comm")).trim()))
                    .mapToDouble(p -> cpuWithEndedChildren(p.resolve("stat")))
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static double cpuOf(long pid) {
        return cpuOfStat(Path.of("/proc", Long.toString(pid), "stat"));
    }

    private static double cpuOfStat(Path statFile) {
        return ticks(statFile, 2) / TICKS_PER_SECOND;
    }

    private static double cpuWithEndedChildren(Path statFile) {
        return ticks(statFile, 4) / TICKS_PER_SECOND;
    }

    /** utime and stime (fields 14 and 15 of stat), then cutime and cstime (16 and 17): the first {@code count}. */
    private static long ticks(Path statFile, int count) {
        String stat = read(statFile);
        int end = stat.lastIndexOf(')'); // the command name may contain spaces
        if (end < 0) {
            return 0;
        }
        String[] fields = stat.substring(end + 2).split(" "); // fields[0] is the state, field 3 of stat
        long ticks = 0;
        for (int i = 11; i < 11 + count; i++) {
            ticks += Long.parseLong(fields[i]);
        }
        return ticks;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
