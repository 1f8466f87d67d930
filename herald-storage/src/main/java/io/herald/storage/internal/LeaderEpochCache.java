package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Leader epoch → first offset written in that epoch, for one partition; answers OffsetForLeaderEpoch and is persisted
 * in {@code leader-epoch-checkpoint} (Kafka's text checkpoint layout). Synchronized: fetch handlers query it while the
 * appender assigns new epochs.
 */
public final class LeaderEpochCache {
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_EPOCH_OFFSET = -1L;

    private final CheckpointFile checkpoint;
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();

    public LeaderEpochCache(File dir) throws IOException {
        this.checkpoint = new CheckpointFile(new File(dir, FILE_NAME));
        for (String[] entry : checkpoint.read()) {
            if (entry.length != 2) {
                throw new IOException("malformed " + checkpoint.file());
            }
            epochs.put(Integer.parseInt(entry[0]), Long.parseLong(entry[1]));
        }
    }

    /** Records that {@code epoch} starts at {@code startOffset}, if it is newer than the latest known epoch. */
    public synchronized void assign(int epoch, long startOffset) {
        if (epoch < 0 || (!epochs.isEmpty() && epoch <= epochs.lastKey())) {
            return;
        }
        // An epoch starting at or before an existing entry's offset supersedes it (a leader that wrote nothing).
        epochs.values().removeIf(off -> off >= startOffset);
        epochs.put(epoch, startOffset);
        flush();
    }

    /** The epoch in which {@code offset} was written (the last epoch starting at or before it), or -1. */
    public synchronized int epochForOffset(long offset) {
        int epoch = UNDEFINED_EPOCH;
        for (Map.Entry<Integer, Long> e : epochs.entrySet()) {
            if (e.getValue() <= offset) {
                epoch = e.getKey();
            }
        }
        return epoch;
    }

    public synchronized int latestEpoch() {
        return epochs.isEmpty() ? UNDEFINED_EPOCH : epochs.lastKey();
    }

    /**
     * {epoch, endOffset} as Kafka's OffsetForLeaderEpoch defines it: for the latest epoch the log end offset; otherwise
     * the start offset of the next higher epoch, paired with the largest known epoch &lt;= the requested one.
     */
    public synchronized long[] endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch == UNDEFINED_EPOCH || epochs.isEmpty()) {
            return new long[] {UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET};
        }
        if (requestedEpoch == epochs.lastKey()) {
            return new long[] {requestedEpoch, logEndOffset};
        }
        Map.Entry<Integer, Long> higher = epochs.higherEntry(requestedEpoch);
        if (higher == null) {
            return new long[] {UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET};
        }
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requestedEpoch);
        return new long[] {floor == null ? requestedEpoch : floor.getKey(), higher.getValue()};
    }

    /** Forgets epochs starting at or after {@code endOffset} (log truncated to endOffset). */
    public synchronized void truncateFromEnd(long endOffset) {
        if (epochs.values().removeIf(off -> off >= endOffset)) {
            flush();
        }
    }

    /** Drops epochs wholly below the new log start offset and moves the earliest remaining one up to it. */
    public synchronized void truncateFromStart(long startOffset) {
        Map.Entry<Integer, Long> floor = null;
        for (Map.Entry<Integer, Long> e : new ArrayList<>(epochs.entrySet())) {
            if (e.getValue() <= startOffset) {
                floor = e;
                epochs.remove(e.getKey());
            }
        }
        if (floor != null) {
            epochs.put(floor.getKey(), startOffset);
            flush();
        }
    }

    public synchronized void clear() {
        epochs.clear();
        flush();
    }

    private void flush() {
        List<String> lines = new ArrayList<>();
        epochs.forEach((epoch, offset) -> lines.add(epoch + " " + offset));
        checkpoint.write(lines);
    }
}
