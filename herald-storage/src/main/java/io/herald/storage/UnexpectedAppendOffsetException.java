package io.herald.storage;

import org.apache.kafka.common.KafkaException;

/**
 * A follower append whose batches start below the log end offset (or go backwards): the replica fetcher must truncate
 * before appending again. Carries the offending batch's offsets for that decision.
 */
public final class UnexpectedAppendOffsetException extends KafkaException {
    private static final long serialVersionUID = 1L;

    private final long firstOffset;
    private final long logEndOffset;

    public UnexpectedAppendOffsetException(String message, long firstOffset, long logEndOffset) {
        super(message);
        this.firstOffset = firstOffset;
        this.logEndOffset = logEndOffset;
    }

    public long firstOffset() {
        return firstOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
