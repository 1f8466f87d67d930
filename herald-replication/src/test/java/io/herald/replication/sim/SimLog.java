package io.herald.replication.sim;

import io.herald.replication.EpochEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One replica's log in memory, with the rules of the real one that replication depends on: batches carry their base
 * offset and the leader epoch they were written in, a leader-epoch cache maps each epoch to its start offset (Kafka's
 * {@code leader-epoch-checkpoint}), "end offset for epoch" answers as OffsetForLeaderEpoch defines it, truncation cuts
 * whole batches and the epoch entries past the cut, and the high watermark only moves forward except when a
 * truncation cuts below it (which the checker reports as a lost commit).
 *
 * <p>Nothing here is lost on a crash: the simulation models a broker whose log is flushed (see
 * docs/replication-simulation.md).
 */
final class SimLog {
    /** One batch: {@code values.size()} records at offsets {@code baseOffset ..}, written in {@code epoch}. */
    record Batch(long baseOffset, int epoch, List<Long> values) {
        Batch {
            values = List.copyOf(values);
        }

        long nextOffset() {
            return baseOffset + values.size();
        }
    }

    private final TreeMap<Long, Batch> batches = new TreeMap<>();
    private final TreeMap<Integer, Long> epochStarts = new TreeMap<>();
    private long logEndOffset;
    private long highWatermark;

    long logEndOffset() {
        return logEndOffset;
    }

    long highWatermark() {
        return highWatermark;
    }

    /** The latest epoch in the epoch cache, or -1 (what a follower sends as its last fetched epoch). */
    int latestEpoch() {
        return epochStarts.isEmpty() ? -1 : epochStarts.lastKey();
    }

    /**
     * Kafka's OffsetForLeaderEpoch answer: for the latest epoch, the log end offset; for an earlier one, the latest
     * epoch at or below it and the start offset of the next epoch; for an epoch older than every entry, that epoch and
     * the first entry's start offset; undefined for an unknown (negative or newer) epoch or an empty cache.
     */
    EpochEnd endOffsetForEpoch(int epoch) {
        if (epoch < 0 || epochStarts.isEmpty()) {
            return EpochEnd.UNDEFINED;
        }
        if (epoch == epochStarts.lastKey()) {
            return new EpochEnd(epoch, logEndOffset);
        }
        Map.Entry<Integer, Long> higher = epochStarts.higherEntry(epoch);
        if (higher == null) {
            return EpochEnd.UNDEFINED;
        }
        Map.Entry<Integer, Long> floor = epochStarts.floorEntry(epoch);
        return floor == null ? new EpochEnd(epoch, higher.getValue()) : new EpochEnd(floor.getKey(), higher.getValue());
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} (a new leader does this when it takes over; a batch of a
     * new epoch does it on append). As Kafka's cache: entries at or past the new one are replaced.
     */
    void assignEpoch(int epoch, long startOffset) {
        if (!epochStarts.isEmpty()) {
            int latest = epochStarts.lastKey();
            if (latest == epoch && startOffset >= epochStarts.get(latest)) {
                return;
            }
        }
        while (!epochStarts.isEmpty()
                && (epochStarts.lastKey() >= epoch || epochStarts.lastEntry().getValue() >= startOffset)) {
            epochStarts.pollLastEntry();
        }
        epochStarts.put(epoch, startOffset);
    }

    /** The leader appends one batch in its epoch; returns its base offset. */
    long appendAsLeader(int epoch, List<Long> values) {
        long base = logEndOffset;
        append(new Batch(base, epoch, values));
        return base;
    }

    /** A follower appends a fetched batch; it must start at the log end. */
    void appendFetched(Batch batch) {
        if (batch.baseOffset() != logEndOffset) {
            throw new IllegalStateException(
                    "fetched batch at " + batch.baseOffset() + " does not start at the log end " + logEndOffset);
        }
        append(batch);
    }

    private void append(Batch batch) {
        if (batch.epoch() < latestEpoch()) {
            throw new IllegalStateException(
                    "batch of epoch " + batch.epoch() + " after epoch " + latestEpoch() + " at " + batch.baseOffset());
        }
        assignEpoch(batch.epoch(), batch.baseOffset());
        batches.put(batch.baseOffset(), batch);
        logEndOffset = batch.nextOffset();
    }

    /** Removes every batch from {@code offset} on; the cut must fall on a batch boundary. */
    void truncateTo(long offset) {
        // Epoch entries from the cut on go even when no batch does: a broker that led an epoch without appending in
        // it keeps an entry at its log end that the new leader's history does not have (Kafka does the same).
        while (!epochStarts.isEmpty() && epochStarts.lastEntry().getValue() >= offset) {
            epochStarts.pollLastEntry();
        }
        if (offset >= logEndOffset) {
            return;
        }
        Map.Entry<Long, Batch> straddling = batches.lowerEntry(offset);
        if (straddling != null && straddling.getValue().nextOffset() > offset) {
            throw new IllegalStateException("truncation to " + offset + " inside batch " + straddling.getValue());
        }
        batches.tailMap(offset, true).clear();
        logEndOffset = offset;
        highWatermark = Math.min(highWatermark, offset);
    }

    /** Raises the high watermark (never past the log end); never lowers it. */
    void raiseHighWatermark(long offset) {
        highWatermark = Math.max(highWatermark, Math.min(offset, logEndOffset));
    }

    /** The batches from {@code fromOffset} (a batch boundary or the log end), at most {@code maxBatches}. */
    List<Batch> read(long fromOffset, int maxBatches) {
        List<Batch> out = new ArrayList<>();
        for (Batch batch : batches.tailMap(fromOffset, true).values()) {
            if (out.size() == maxBatches) {
                break;
            }
            out.add(batch);
        }
        return out;
    }

    /** The value at {@code offset}, or null when the log does not hold it. */
    Long valueAt(long offset) {
        Batch batch = batchAt(offset);
        return batch == null ? null : batch.values().get((int) (offset - batch.baseOffset()));
    }

    /** The epoch of the batch holding {@code offset}, or -1. */
    int epochAt(long offset) {
        Batch batch = batchAt(offset);
        return batch == null ? -1 : batch.epoch();
    }

    private Batch batchAt(long offset) {
        Map.Entry<Long, Batch> entry = batches.floorEntry(offset);
        if (entry == null || entry.getValue().nextOffset() <= offset) {
            return null;
        }
        return entry.getValue();
    }

    NavigableMap<Integer, Long> epochCache() {
        return java.util.Collections.unmodifiableNavigableMap(epochStarts);
    }

    @Override
    public String toString() {
        return "log(leo " + logEndOffset + ", hw " + highWatermark + ", epochs " + epochStarts + ")";
    }
}
