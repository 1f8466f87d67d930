package io.herald.storage;

/**
 * The outcome of one append: offsets given to the batches, the log-append time when the topic uses LogAppendTime (else
 * -1), the log start offset after the append, and whether the batch was a retried duplicate answered from producer
 * state (then nothing was written and the offsets are the original ones).
 */
public record LogAppendInfo(
        long firstOffset,
        long lastOffset,
        long logAppendTimeMs,
        long logStartOffset,
        int recordCount,
        boolean duplicate) {}
