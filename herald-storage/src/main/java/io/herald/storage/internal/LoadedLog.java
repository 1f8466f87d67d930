package io.herald.storage.internal;

import java.util.concurrent.ConcurrentSkipListMap;

/** The segments and offsets of a partition as found (and, after a crash, repaired) on disk by {@link LogLoader}. */
public record LoadedLog(
        ConcurrentSkipListMap<Long, LogSegment> segments, long logStartOffset, long logEndOffset, long recoveryPoint) {}
