package org.orderflow.messaging.internal;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.orderflow.messaging.consumer.PoisonEventException;

/** Sorts failures into the three classes the consumer treats differently. */
public final class Failures {
    /**
     * SQLState classes and codes that pass by themselves: connection, serialization, deadlock, lock not available,
     * shutdown, resources. Not 57014 (a statement cancelled, as by {@code statement_timeout}): a statement that always
     * takes too long would be retried forever, so it counts as an attempt and ends in the dead-letter queue.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03");
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58");

    private Failures() {
    }

    /** Retry without limit, never skipping the record: the cause goes away by itself. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof RetriableException || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof java.net.ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (TRANSIENT_STATES.contains(state) || (state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Dead-letter at once: retrying cannot help. */
    public static boolean isPoison(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PoisonRecordException || cause instanceof PoisonEventException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stop the consumer and fail /ready: a person must fix the configuration or the cluster (or, fenced, another
     * instance runs with this one's static member id).
     */
    public static boolean isFatal(Throwable failure) {
        return failure instanceof AuthorizationException || failure instanceof AuthenticationException
                || failure instanceof UnsupportedVersionException || failure instanceof FencedInstanceIdException;
    }
}
