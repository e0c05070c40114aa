package org.orderflow.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A temporary directory for servers that live as long as this JVM (the tests' and the messaging benchmark's): readable
 * by PostgreSQL's OS user, and deleted when the JVM exits, after its servers stopped. A test run's PostgreSQL data
 * alone is over 200 MB, and every run would otherwise leave its copy in the temporary directory.
 */
public final class ScratchDirectory {
    private ScratchDirectory() {
    }

    /** A new directory {@code orderflow-<name>-<random>} in the temporary directory. */
    public static Path create(String name) {
        try {
            Path dir = Files.createTempDirectory("orderflow-" + name + "-");
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            return dir;
        } catch (IOException e) {
            throw new StackException("Cannot create a scratch directory", e);
        }
    }

    /**
     * When the JVM exits: runs {@code stops} (the servers' stops, which are idempotent, so a server's own stop hook may
     * run at the same time), then deletes {@code dir}.
     */
    public static void deleteOnExit(Path dir, Runnable... stops) {
        List<Runnable> stopFirst = List.of(stops);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopFirst.forEach(Runnable::run);
            try {
                delete(dir);
            } catch (IOException e) {
                System.err.println("Cannot delete " + dir + ": " + e);
            }
        }, "stop-and-delete-" + dir.getFileName()));
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
