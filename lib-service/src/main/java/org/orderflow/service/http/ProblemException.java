package org.orderflow.service.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.orderflow.service.ServiceException;

/** Thrown by handlers and services to answer with a problem; the one exception mapper renders it. */
public class ProblemException extends ServiceException {
    private final transient Problem problem;
    private final transient Duration retryAfter;
    private final String challenge;

    public ProblemException(Problem problem) {
        this(problem, null, null);
    }

    private ProblemException(Problem problem, Duration retryAfter, String challenge) {
        super(problem.title() + ": " + problem.detail());
        this.problem = problem;
        this.retryAfter = retryAfter;
        this.challenge = challenge;
    }

    /** 503 with a {@code Retry-After} header: the service is busy, nothing was done, the same request may come again. */
    public static ProblemException busy(String title, String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(503, title, detail), retryAfter, null);
    }

    /** 401 with the {@code WWW-Authenticate} challenge of RFC 6750: no token, or one that cannot be trusted. */
    public static ProblemException unauthorized(String detail, String challenge) {
        return new ProblemException(Problem.of(401, "Unauthorized", detail), null, challenge);
    }

    /** 403: the caller is known and may not do this. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "Forbidden", detail));
    }

    public static ProblemException badRequest(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(new Problem("about:blank", "Invalid request", 400, detail, null, errors));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "Not found", detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "Conflict", detail));
    }

    public Problem problem() {
        return problem;
    }

    /** The {@code WWW-Authenticate} header of a 401. */
    public Optional<String> challenge() {
        return Optional.ofNullable(challenge);
    }

    /** When a client may try again, if the problem says. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
