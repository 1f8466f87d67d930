package io.herald.storage;

import java.util.Optional;

/** A ListOffsets answer: an offset, the timestamp of the record found there (or -1), and its batch's leader epoch. */
public record TimestampOffset(long timestamp, long offset, Optional<Integer> leaderEpoch) {
    public static final long UNKNOWN_TIMESTAMP = -1L;
}
