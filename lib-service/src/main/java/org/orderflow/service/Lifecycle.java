package org.orderflow.service;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service started, in start order; closed in reverse order on shutdown (HTTP first, then consumers, then
 * the relay, then the pool), each step logged, a failing step not stopping the next.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final Deque<Step> started = new ArrayDeque<>();

    /** Records something started; returns it for chaining in Main. */
    public <T extends AutoCloseable> T started(String name, T resource) {
        synchronized (started) {
            started.push(new Step(name, resource));
        }
        return resource;
    }

    /** Closes everything once the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public Lifecycle closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "shutdown"));
        return this;
    }

    @Override
    public void close() {
        while (true) {
            Step step;
            synchronized (started) {
                step = started.poll();
            }
            if (step == null) {
                return;
            }
            try {
                step.resource().close();
                log.info("Stopped {}", step.name());
            } catch (Exception | LinkageError e) {
                // LinkageError: the jar was replaced under the running process. The next steps must still run, or
                // the consumers never leave their group and the next start waits for their session to time out.
                log.warn("Stopping {} failed", step.name(), e);
            }
        }
    }

    private record Step(String name, AutoCloseable resource) {
    }
}
