package io.herald.protocol;

import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Told of each served request once its response is ready (the quota hook): records what the request used and answers
 * how long its connection is throttled. Throttling never fails a request (KIP-219): the answer goes into the response's
 * {@code throttle_time_ms} and the network stops reading from the connection for that long.
 */
public interface RequestThrottle {
    RequestThrottle NONE = (context, request, use) -> 0;

    /** What one request used: its frame, its encoded response (-1 when none is sent) and its handler time. */
    record Use(int requestBytes, long responseBytes, long handlerNanos) {}

    /** Records {@code use} against the client's quotas; returns the throttle time in ms (0 when none). */
    int throttleMs(RequestContext context, AbstractRequest request, Use use);
}
