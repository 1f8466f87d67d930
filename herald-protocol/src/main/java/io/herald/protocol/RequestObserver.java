package io.herald.protocol;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Told of each request the dispatcher hands to a handler and of its completion (the metrics hook). Called on the hot
 * path: implementations only count.
 */
public interface RequestObserver {
    RequestObserver NONE = new RequestObserver() {
        @Override
        public void received() {}

        @Override
        public void completed(ApiKeys api, short version, long elapsedNanos, Errors error) {}
    };

    /** A decoded request goes to its handler. */
    void received();

    /**
     * Its response is ready to be written, {@code elapsedNanos} after the frame was received; {@code error} is the
     * error of a request that failed as a whole (its error response), else null.
     */
    void completed(ApiKeys api, short version, long elapsedNanos, Errors error);
}
