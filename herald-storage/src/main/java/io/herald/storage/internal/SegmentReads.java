package io.herald.storage.internal;

import io.herald.storage.AbortedTxn;
import io.herald.storage.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.FileRecords.TimestampAndOffset;

/**
 * Read-side searches over a partition's segment map: fetch reads bounded by an offset, timestamp lookups, and the
 * choice of segments that retention may delete. Stateless; the caller supplies a consistent view of the segments.
 */
public final class SegmentReads {
    private SegmentReads() {}

    /**
     * Whole batches from the batch containing {@code fetchOffset}, within one segment, ending below
     * {@code maxOffset}. {@code endSegmentBase}/{@code endPosition} locate the published log end, beyond which
     * nothing is read. Null when there is nothing to return.
     */
    public static FileRecords read(
            NavigableMap<Long, LogSegment> segments,
            long fetchOffset,
            int maxBytes,
            long maxOffset,
            long endOffset,
            long endSegmentBase,
            int endPosition,
            boolean minOneBatch) {
        Long floor = segments.floorKey(fetchOffset);
        if (floor == null || fetchOffset >= maxOffset || maxBytes < 0) {
            return null;
        }
        for (Map.Entry<Long, LogSegment> e : segments.tailMap(floor, true).entrySet()) {
            LogSegment segment = e.getValue();
            if (segment.baseOffset() >= maxOffset) {
                break;
            }
            int maxPosition;
            if (segment.baseOffset() == endSegmentBase && maxOffset == endOffset) {
                maxPosition = endPosition;
            } else {
                LogOffsetPosition cut = segment.translateOffset(maxOffset);
                maxPosition = cut != null
                        ? cut.position
                        : (segment.baseOffset() == endSegmentBase ? endPosition : segment.sizeInBytes());
            }
            FileRecords records = segment.read(fetchOffset, maxBytes, maxPosition, minOneBatch);
            if (records != null) {
                return records;
            }
        }
        return null;
    }

    /** First record at or after {@code startOffset} with timestamp &gt;= {@code targetTimestamp}, or null. */
    public static TimestampAndOffset offsetForTimestamp(
            NavigableMap<Long, LogSegment> segments, long targetTimestamp, long startOffset) {
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestampSoFar() >= targetTimestamp) {
                TimestampAndOffset found = segment.findOffsetByTimestamp(targetTimestamp, startOffset);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The first record carrying the largest timestamp of the log, or null when no record has a timestamp. */
    public static TimestampAndOffset maxTimestamp(NavigableMap<Long, LogSegment> segments) {
        LogSegment best = null;
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestampSoFar() >= 0
                    && (best == null || segment.maxTimestampSoFar() > best.maxTimestampSoFar())) {
                best = segment;
            }
        }
        return best == null ? null : best.maxTimestampRecord();
    }

    /**
     * The oldest segments that may go: wholly below the log start offset, or (cleanup.policy delete) older than
     * retention.ms or in excess of retention.bytes while below the high watermark. The active segment is among them
     * when it qualifies and is not empty; the caller then rolls a new one before deleting it.
     */
    public static List<LogSegment> deletable(
            List<LogSegment> all,
            LogConfig cfg,
            long nowMs,
            long logStartOffset,
            long highWatermark,
            long logEndOffset) {
        long totalBytes = 0;
        for (LogSegment s : all) {
            totalBytes += s.sizeInBytes();
        }
        boolean bySize = cfg.deleteRetentionEnabled() && cfg.retentionBytes() >= 0;
        boolean byTime = cfg.deleteRetentionEnabled() && cfg.retentionMs() >= 0;
        long excessBytes = bySize ? totalBytes - cfg.retentionBytes() : 0;
        List<LogSegment> doomed = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            LogSegment s = all.get(i);
            boolean last = i + 1 == all.size();
            if (last && s.sizeInBytes() == 0) {
                break; // an empty active segment holds nothing to delete
            }
            // The active segment counts too (as in Kafka): the caller rolls a new, empty one before deleting it.
            long nextBase = last ? logEndOffset : all.get(i + 1).baseOffset();
            boolean belowStart = nextBase <= logStartOffset;
            boolean expired = byTime && nowMs - s.largestTimestamp() > cfg.retentionMs();
            boolean tooBig = bySize && excessBytes - s.sizeInBytes() >= 0;
            // Only data below the high watermark may go by policy: a follower may still need the rest.
            if (!(belowStart || ((expired || tooBig) && nextBase <= highWatermark))) {
                break;
            }
            excessBytes -= s.sizeInBytes();
            doomed.add(s);
        }
        return doomed;
    }

    /** The segments that end at or below {@code offset} (DeleteRecords); never the active one. */
    public static List<LogSegment> whollyBelow(List<LogSegment> all, long offset) {
        List<LogSegment> below = new ArrayList<>();
        for (int i = 0; i + 1 < all.size() && all.get(i + 1).baseOffset() <= offset; i++) {
            below.add(all.get(i));
        }
        return below;
    }

    /**
     * The compaction bound: {@code limit} (the active segment's base or the last stable offset), lowered to the base
     * of the first segment holding a record newer than {@code minCompactionLagMs}.
     */
    public static long firstUncleanable(List<LogSegment> all, long limit, long nowMs, long minCompactionLagMs) {
        if (minCompactionLagMs <= 0) {
            return limit;
        }
        for (LogSegment s : all) {
            if (s.baseOffset() >= limit) {
                break;
            }
            if (s.maxTimestampSoFar() > nowMs - minCompactionLagMs) {
                return s.baseOffset();
            }
        }
        return limit;
    }

    /** The segments whose base offset is below {@code offset}. */
    public static List<LogSegment> below(List<LogSegment> all, long offset) {
        List<LogSegment> result = new ArrayList<>();
        for (LogSegment s : all) {
            if (s.baseOffset() < offset) {
                result.add(s);
            }
        }
        return result;
    }

    /**
     * The aborted transactions overlapping [{@code startOffset}, {@code upperBoundOffset}) from the txn indexes of the
     * segment holding {@code startOffset} on: an entry counts when its marker is at or after the start and its first
     * offset below the bound. An entry whose last stable offset reaches the bound ends the search: every transaction
     * that could overlap the range had ended before it.
     */
    public static List<AbortedTxn> abortedTransactions(
            NavigableMap<Long, LogSegment> segments, long startOffset, long upperBoundOffset) {
        Long floor = segments.floorKey(startOffset);
        List<AbortedTxn> out = new ArrayList<>();
        for (LogSegment segment : (floor == null ? segments : segments.tailMap(floor, true)).values()) {
            for (AbortedTxn txn : segment.txnIndex().entries()) {
                if (txn.lastOffset() >= startOffset && txn.firstOffset() < upperBoundOffset) {
                    out.add(txn);
                }
                if (txn.lastStableOffset() >= upperBoundOffset) {
                    return out;
                }
            }
        }
        return out;
    }
}
