package io.herald.console;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * An action the cluster refused or the console could not run, with the message a user reads: for a Kafka error the
 * exception kafka-clients raised (its class and the broker's own message, as Kafka's tools print it).
 */
final class ActionFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ActionFailed(String message) {
        super(message);
    }

    /** The user-facing message of a failed client call. */
    static ActionFailed of(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ActionFailed failed) {
            return failed;
        }
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        return new ActionFailed(cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message));
    }
}
