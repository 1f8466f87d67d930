package io.herald.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Serves one Kafka API. Called on a network thread in the order requests arrive on a connection, so a handler must
 * start its work before returning and must never block: long waits complete the returned future later.
 */
@FunctionalInterface
public interface ApiHandler {
    /**
     * Returns the response body, or a future completed with {@code null} when the API sends no response (Produce with
     * acks=0). A future completed exceptionally is answered with the request's error response for that exception.
     */
    CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request);
}
