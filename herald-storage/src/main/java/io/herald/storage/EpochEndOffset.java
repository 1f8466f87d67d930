package io.herald.storage;

/**
 * An OffsetForLeaderEpoch answer: the largest known epoch not above the requested one and the offset where it ended
 * (the log end offset for the current epoch); both -1 when unknown.
 */
public record EpochEndOffset(int leaderEpoch, long endOffset) {
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(-1, -1L);
}
