package io.herald.storage;

import io.herald.storage.internal.LogSegment;
import java.util.List;

/** What the cleaner may work on, taken under the partition lock at the start of a cleaning. */
record CleanableSection(
        List<LogSegment> segments,
        long logStartOffset,
        long firstDirtyOffset,
        long firstUncleanableOffset,
        long truncations,
        LogConfig config) {}
