package io.herald.coordinator;

/** A committed offset of one group for one partition, as OffsetFetch returns it. */
record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {}
