package org.orderflow.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A pid file as the stack writes them (the services' {@code run/*.pid}, Kafka's {@code kafka.pid}) or as PostgreSQL
 * does ({@code postmaster.pid}, whose first line is the pid): the process it names, while that process runs.
 */
public final class PidFile {
    private PidFile() {
    }

    /** The live process the file's first line names; empty when there is no file, no pid in it, or no such process. */
    public static Optional<ProcessHandle> liveProcess(Path pidFile) {
        try (var lines = Files.lines(pidFile)) {
            return lines.findFirst().map(String::trim).map(Long::parseLong).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException notRunning) {
            return Optional.empty();
        }
    }
}
