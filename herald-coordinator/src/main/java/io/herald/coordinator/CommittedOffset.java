package io.herald.coordinator;

/**
 * A committed offset of one group for one partition, as OffsetFetch returns it. {@code expireTimestampMs} is -1 unless
 * the commit asked for its own retention (OffsetCommit v2-4 {@code retention_time_ms}).
 */
record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {}
