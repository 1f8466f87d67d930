package io.herald.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.network.Send;

/** What the network layer hands each complete request frame to. */
public interface RequestProcessor {
    /**
     * Starts serving one request frame (the bytes after the 4-byte size). Completes with the response to write, or with
     * {@code null} when none is due. Throws {@link org.apache.kafka.common.errors.InvalidRequestException} when the
     * frame cannot be served at all, after which the connection is closed (as Kafka does).
     */
    CompletableFuture<Send> process(ConnectionInfo connection, ByteBuffer frame);
}
