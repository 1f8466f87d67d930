package io.herald.protocol;

/**
 * A handler's answer that is no answer: the network layer closes the connection instead of responding, as Kafka does
 * when an acks=0 Produce fails (the producer, which expects no response, notices the disconnect and refreshes its
 * metadata).
 */
public final class CloseConnectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CloseConnectionException(String reason) {
        super(reason, null, false, false);
    }
}
