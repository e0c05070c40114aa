package org.orderflow.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small process and port helpers shared by the local servers. */
final class Processes {
    private Processes() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a command to completion, failing with its output when it exits non-zero. */
    static String run(List<String> command, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new StackException("Timed out: " + String.join(" ", command));
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new StackException("Failed (exit " + process.exitValue() + "): " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new StackException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted: " + String.join(" ", command), e);
        }
    }

    /** Prefixes a command so that it runs as the given user when we are root (PostgreSQL refuses root). */
    static List<String> asUser(Optional<String> user, List<String> command) {
        if (user.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user.get(), "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    static boolean isPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as servers bind: TIME_WAIT of a stopped server is no conflict, a listener is
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }


    static void requirePortFree(int port, String variable) {
        if (!isPortFree(port)) {
            throw new StackException("Port " + port + " is already in use by another process; choose another with " + variable + "=<port>");
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted", e);
        }
    }
}
