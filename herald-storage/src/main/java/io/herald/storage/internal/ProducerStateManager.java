package io.herald.storage.internal;

import io.herald.storage.AbortedTxn;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Idempotent-producer state of one partition: per producer id, the epoch and the last {@value #MAX_BATCHES} batches
 * (sequences and offsets), plus the first offset of an ongoing transaction (kept for a later last-stable-offset). Not
 * thread-safe: guarded by the partition lock. Snapshotted to {@code <offset>.snapshot} and rebuilt by replay.
 *
 * <p>Choice: a producer id this partition has never seen must start at sequence 0, otherwise the batch is rejected
 * with OutOfOrderSequenceException (Kafka 2.5+ also accepts it when the state was lost to retention; we do not).
 */
public final class ProducerStateManager {
    public static final int MAX_BATCHES = 5;
    private static final short SNAPSHOT_VERSION = 2; // 2 added the coordinator epoch; 1 is still read
    static final int SNAPSHOTS_KEPT = 3;

    /** Everything known about one producer id; mutable copies are made per append and committed after the write. */
    static final class Entry {
        final long producerId;
        short epoch;
        long lastTimestamp;
        long currentTxnFirstOffset = -1;
        int coordinatorEpoch = -1; // of the last marker written for this producer; an older one is fenced
        final Deque<BatchMetadata> batches = new ArrayDeque<>();

        Entry(long producerId, short epoch) {
            this.producerId = producerId;
            this.epoch = epoch;
        }

        Entry copy() {
            Entry e = new Entry(producerId, epoch);
            e.lastTimestamp = lastTimestamp;
            e.currentTxnFirstOffset = currentTxnFirstOffset;
            e.coordinatorEpoch = coordinatorEpoch;
            e.batches.addAll(batches);
            return e;
        }

        int lastSequence() {
            return batches.isEmpty()
                    ? RecordBatch.NO_SEQUENCE
                    : batches.getLast().lastSeq();
        }

        void addBatch(BatchMetadata b) {
            batches.addLast(b);
            while (batches.size() > MAX_BATCHES) {
                batches.removeFirst();
            }
        }
    }

    /**
     * A transaction ended by a marker at {@code lastOffset}: its first offset (the marker's own when no data of it is
     * known), whether it aborted, and the last stable offset right after it (the first offset of the earliest
     * transaction still ongoing, else the offset after the marker), as the aborted-transaction index records it.
     */
    public record CompletedTxn(
            long producerId, long firstOffset, long lastOffset, boolean aborted, long lastStableOffset) {}

    /** Metadata of one appended batch, enough to recognise a retried duplicate and answer with its offsets. */
    public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {}

    private final File dir;
    private final Map<Long, Entry> producers = new HashMap<>();
    // first offset of each ongoing transaction → producer id; the earliest bounds the last stable offset.
    private final NavigableMap<Long, Long> ongoingTxns = new TreeMap<>();
    // first offset → marker offset of each transaction ended by a marker the high watermark has not passed yet: as in
    // Kafka it stays unstable until then, so a leader change before the marker is replicated changes no reader's view.
    private final NavigableMap<Long, Long> unreplicatedTxns = new TreeMap<>();
    private volatile long firstUnstableOffset = -1; // published for lock-free readers

    public ProducerStateManager(File dir) {
        this.dir = dir;
    }

    /** The batch this one duplicates (same producer, epoch and sequence range among the retained ones), or null. */
    public BatchMetadata findDuplicate(RecordBatch batch) {
        Entry e = producers.get(batch.producerId());
        if (e == null || e.epoch != batch.producerEpoch()) {
            return null;
        }
        for (BatchMetadata b : e.batches) {
            if (b.firstSeq() == batch.baseSequence() && b.lastSeq() == batch.lastSequence()) {
                return b;
            }
        }
        return null;
    }

    /** Starts a validated update for one append; nothing changes until {@link Update#commit()}. */
    public Update startUpdate() {
        return new Update();
    }

    /** Pending changes of one append, checked batch by batch against the state plus earlier batches of the append. */
    public final class Update {
        private final Map<Long, Entry> touched = new HashMap<>();
        private final List<CompletedTxn> completed = new ArrayList<>();

        /** The transactions the markers of this update ended, in log order. */
        public List<CompletedTxn> completedTxns() {
            return completed;
        }

        private Entry entryFor(long producerId) {
            return touched.computeIfAbsent(producerId, id -> {
                Entry current = producers.get(id);
                return current == null ? null : current.copy();
            });
        }

        /** Validates epoch and sequence of a client batch (offsets already assigned) and records it. */
        public void append(RecordBatch batch) {
            long pid = batch.producerId();
            Entry e = entryFor(pid);
            short epoch = batch.producerEpoch();
            if (batch.isControlBatch()) {
                applyControl(e, batch, true);
                return;
            }
            if (e == null) {
                if (batch.baseSequence() != 0) {
                    throw new OutOfOrderSequenceException(
                            "unknown producer " + pid + " must start at sequence 0, got " + batch.baseSequence());
                }
                e = new Entry(pid, epoch);
                touched.put(pid, e);
            } else if (epoch < e.epoch) {
                throw new InvalidProducerEpochException(
                        "producer " + pid + " epoch " + epoch + " is older than current epoch " + e.epoch);
            } else if (epoch > e.epoch) {
                if (batch.baseSequence() != 0) {
                    throw new OutOfOrderSequenceException(
                            "new epoch " + epoch + " of producer " + pid + " must start at sequence 0");
                }
                e.epoch = epoch;
                e.batches.clear();
            } else if (!inSequence(e.lastSequence(), batch.baseSequence())) {
                throw new OutOfOrderSequenceException(
                        "producer " + pid + " sent sequence " + batch.baseSequence() + " after " + e.lastSequence());
            }
            record(e, batch);
        }

        /** Records a batch read back from the log (load, replay): no checks, the log is the truth. */
        public void replay(RecordBatch batch) {
            long pid = batch.producerId();
            Entry e = entryFor(pid);
            if (e == null) {
                e = new Entry(pid, batch.producerEpoch());
                touched.put(pid, e);
            }
            if (batch.isControlBatch()) {
                applyControl(e, batch, false);
                return;
            }
            if (batch.producerEpoch() != e.epoch) {
                e.epoch = batch.producerEpoch();
                e.batches.clear();
            }
            record(e, batch);
        }

        private void record(Entry e, RecordBatch batch) {
            e.addBatch(new BatchMetadata(
                    batch.baseSequence(),
                    batch.lastSequence(),
                    batch.baseOffset(),
                    batch.lastOffset(),
                    batch.maxTimestamp()));
            e.lastTimestamp = batch.maxTimestamp();
            if (batch.isTransactional() && e.currentTxnFirstOffset < 0) {
                e.currentTxnFirstOffset = batch.baseOffset();
            }
        }

        private void applyControl(Entry e, RecordBatch batch, boolean check) {
            long pid = batch.producerId();
            if (e == null) {
                e = new Entry(pid, batch.producerEpoch());
                touched.put(pid, e);
            }
            EndTransactionMarker marker = null;
            for (Record r : batch) {
                ControlRecordType type = ControlRecordType.parse(r.key());
                if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                    marker = EndTransactionMarker.deserialize(r);
                }
                break;
            }
            if (check && batch.producerEpoch() < e.epoch) {
                throw new InvalidProducerEpochException(
                        "marker epoch " + batch.producerEpoch() + " of producer " + pid + " is older than " + e.epoch);
            }
            if (check && marker != null && marker.coordinatorEpoch() < e.coordinatorEpoch) {
                throw new TransactionCoordinatorFencedException("marker of producer " + pid + " from coordinator epoch "
                        + marker.coordinatorEpoch() + " is older than coordinator epoch " + e.coordinatorEpoch);
            }
            if (batch.producerEpoch() > e.epoch) {
                e.epoch = batch.producerEpoch();
                e.batches.clear();
            }
            if (marker != null) {
                long first = e.currentTxnFirstOffset >= 0 ? e.currentTxnFirstOffset : batch.baseOffset();
                e.currentTxnFirstOffset = -1;
                e.coordinatorEpoch = marker.coordinatorEpoch();
                completed.add(new CompletedTxn(
                        pid,
                        first,
                        batch.lastOffset(),
                        marker.controlType() == ControlRecordType.ABORT,
                        stableAfter(pid, batch.lastOffset())));
            }
            e.lastTimestamp = batch.maxTimestamp();
        }

        /** The first offset of the earliest transaction of another producer still ongoing, else {@code offset + 1}. */
        private long stableAfter(long producerId, long offset) {
            long min = offset + 1;
            for (Entry other : producers.values()) {
                if (other.producerId != producerId
                        && !touched.containsKey(other.producerId)
                        && other.currentTxnFirstOffset >= 0) {
                    min = Math.min(min, other.currentTxnFirstOffset);
                }
            }
            for (Entry other : touched.values()) {
                if (other != null && other.producerId != producerId && other.currentTxnFirstOffset >= 0) {
                    min = Math.min(min, other.currentTxnFirstOffset);
                }
            }
            return min;
        }

        public void commit() {
            for (CompletedTxn txn : completed) {
                unreplicatedTxns.put(txn.firstOffset(), txn.lastOffset());
            }
            for (Entry e : touched.values()) {
                if (e == null) {
                    continue;
                }
                Entry old = producers.put(e.producerId, e);
                if (old != null && old.currentTxnFirstOffset >= 0) {
                    ongoingTxns.remove(old.currentTxnFirstOffset);
                }
                if (e.currentTxnFirstOffset >= 0) {
                    ongoingTxns.put(e.currentTxnFirstOffset, e.producerId);
                }
            }
            publishFirstUnstable();
        }
    }

    /**
     * Per producer id, the last offset of its last known batch: the batch the cleaner keeps (emptied if need be) so a
     * rebuild from the log still knows the producer's last sequence.
     */
    public Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> out = new HashMap<>();
        for (Entry e : producers.values()) {
            if (!e.batches.isEmpty()) {
                out.put(e.producerId, e.batches.getLast().lastOffset());
            }
        }
        return out;
    }

    /** Whether {@code next} directly follows {@code last}, wrapping at Integer.MAX_VALUE as Kafka's sequences do. */
    static boolean inSequence(int last, int next) {
        return next == (last == Integer.MAX_VALUE ? 0 : last + 1);
    }

    /**
     * First offset of the earliest transaction still ongoing, or ended by a marker the high watermark has not passed
     * yet; -1 when none. The last stable offset is bounded by it. Safe to call without the partition lock.
     */
    public long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    /** The high watermark moved to {@code highWatermark}: transactions whose marker is below it are stable now. */
    public void onHighWatermarkUpdated(long highWatermark) {
        if (unreplicatedTxns.values().removeIf(marker -> marker < highWatermark)) {
            publishFirstUnstable();
        }
    }

    private void publishFirstUnstable() {
        long first = ongoingTxns.isEmpty() ? -1 : ongoingTxns.firstKey();
        if (!unreplicatedTxns.isEmpty() && (first < 0 || unreplicatedTxns.firstKey() < first)) {
            first = unreplicatedTxns.firstKey();
        }
        firstUnstableOffset = first;
    }

    public int producerCount() {
        return producers.size();
    }

    /** Forgets producers idle for longer than {@code expirationMs} and without an ongoing transaction. */
    public int expireProducers(long nowMs, long expirationMs) {
        int before = producers.size();
        producers.values().removeIf(e -> e.currentTxnFirstOffset < 0 && nowMs - e.lastTimestamp > expirationMs);
        return before - producers.size();
    }

    public void clear() {
        producers.clear();
        ongoingTxns.clear();
        unreplicatedTxns.clear();
        publishFirstUnstable();
    }

    // ---- snapshots -------------------------------------------------------------------------------------------

    /** Writes the state as of {@code nextOffset} (all batches below it applied) to {@code <nextOffset>.snapshot}. */
    public void takeSnapshot(long nextOffset) {
        takeSnapshot(nextOffset, true);
    }

    /**
     * Writes the snapshot at {@code nextOffset}; without {@code sync} it is renamed into place unforced, and
     * {@link #syncSnapshot} later makes it durable (a roll: the flush scheduler does that off the request path; a
     * crash before it leaves a snapshot that fails its CRC and is skipped, as Kafka's unflushed one).
     */
    public void takeSnapshot(long nextOffset, boolean sync) {
        int size = 2 + 4;
        for (Entry e : producers.values()) {
            size += 8 + 2 + 8 + 8 + 4 + 4 + e.batches.size() * (4 + 4 + 8 + 8 + 8);
        }
        ByteBuffer buf = ByteBuffer.allocate(size + 4);
        buf.putShort(SNAPSHOT_VERSION).putInt(producers.size());
        for (Entry e : producers.values()) {
            buf.putLong(e.producerId).putShort(e.epoch).putLong(e.lastTimestamp).putLong(e.currentTxnFirstOffset);
            buf.putInt(e.coordinatorEpoch).putInt(e.batches.size());
            for (BatchMetadata b : e.batches) {
                buf.putInt(b.firstSeq())
                        .putInt(b.lastSeq())
                        .putLong(b.firstOffset())
                        .putLong(b.lastOffset());
                buf.putLong(b.timestamp());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, size);
        buf.putInt((int) crc.getValue());
        File target = LogFiles.file(dir, nextOffset, LogFiles.SNAPSHOT_SUFFIX);
        if (sync) {
            LogFiles.writeAtomically(target, buf.array());
        } else {
            LogFiles.writeAtomicallyUnsynced(target, buf.array());
        }
        // Older snapshots only shorten replays after deep truncations; keep a few so restarts cannot pile them up.
        List<Long> offsets = snapshotOffsets();
        for (int i = 0; i < offsets.size() - SNAPSHOTS_KEPT; i++) {
            try {
                Files.deleteIfExists(LogFiles.file(dir, offsets.get(i), LogFiles.SNAPSHOT_SUFFIX)
                        .toPath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Offsets of the snapshot files in the partition directory, ascending. */
    public List<Long> snapshotOffsets() {
        List<Long> offsets = new ArrayList<>();
        String[] names = dir.list();
        if (names != null) {
            for (String name : names) {
                long off = LogFiles.offsetOf(name, LogFiles.SNAPSHOT_SUFFIX);
                if (off >= 0) {
                    offsets.add(off);
                }
            }
        }
        offsets.sort(null);
        return offsets;
    }

    /**
     * Loads the newest valid snapshot at or below {@code maxOffset}, deleting newer and corrupt ones. Returns the
     * snapshot's offset (replay starts there) or -1 when none was usable and the state is empty.
     */
    public long loadLatestSnapshot(long maxOffset) throws IOException {
        clear();
        List<Long> offsets = snapshotOffsets();
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long off = offsets.get(i);
            File f = LogFiles.file(dir, off, LogFiles.SNAPSHOT_SUFFIX);
            if (off > maxOffset || !readSnapshot(f)) {
                clear();
                Files.deleteIfExists(f.toPath());
                continue;
            }
            return off;
        }
        return -1;
    }

    private boolean readSnapshot(File f) throws IOException {
        byte[] bytes = Files.readAllBytes(f.toPath());
        if (bytes.length < 10) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (buf.getInt(bytes.length - 4) != (int) crc.getValue()) {
            return false;
        }
        short version = buf.getShort();
        if (version != 1 && version != SNAPSHOT_VERSION) {
            return false;
        }
        int count = buf.getInt();
        for (int i = 0; i < count; i++) {
            Entry e = new Entry(buf.getLong(), buf.getShort());
            e.lastTimestamp = buf.getLong();
            e.currentTxnFirstOffset = buf.getLong();
            e.coordinatorEpoch = version >= 2 ? buf.getInt() : -1;
            int n = buf.getInt();
            if (n < 0 || n > MAX_BATCHES) {
                return false;
            }
            for (int j = 0; j < n; j++) {
                e.addBatch(new BatchMetadata(buf.getInt(), buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong()));
            }
            producers.put(e.producerId, e);
            if (e.currentTxnFirstOffset >= 0) {
                ongoingTxns.put(e.currentTxnFirstOffset, e.producerId);
            }
        }
        publishFirstUnstable();
        return true;
    }

    /**
     * Loads the newest snapshot not beyond {@code endOffset} and replays the log's batches after it, rewriting the
     * aborted-transaction index entries of the markers replayed (so a recovered or truncated tail has exactly its own).
     * Transactions ended by a replayed marker count as unstable until the high watermark passes them.
     */
    public void rebuild(NavigableMap<Long, LogSegment> segments, long endOffset) throws IOException {
        long from = Math.max(loadLatestSnapshot(endOffset), segments.firstKey());
        Update update = startUpdate();
        for (LogSegment segment :
                segments.tailMap(segments.floorKey(from), true).values()) {
            segment.txnIndex().truncateTo(from);
        }
        for (LogSegment segment :
                segments.tailMap(segments.floorKey(from), true).values()) {
            FileRecords.LogOffsetPosition pos = segment.translateOffset(from);
            if (pos == null) {
                continue;
            }
            for (FileChannelRecordBatch batch : segment.records().batchesFrom(pos.position)) {
                if (batch.hasProducerId() && batch.lastOffset() >= from) {
                    update.replay(batch);
                }
            }
        }
        update.commit();
        indexAborted(segments, update.completedTxns());
    }

    /** Adds the aborted ones of {@code completed} to the txn index of the segment holding each marker. */
    public static void indexAborted(NavigableMap<Long, LogSegment> segments, List<CompletedTxn> completed)
            throws IOException {
        for (CompletedTxn txn : completed) {
            if (txn.aborted()) {
                segments.floorEntry(txn.lastOffset())
                        .getValue()
                        .txnIndex()
                        .append(new AbortedTxn(
                                txn.producerId(), txn.firstOffset(), txn.lastOffset(), txn.lastStableOffset()));
            }
        }
    }

    /** Forgets every producer and deletes every snapshot (the log restarted empty). */
    public void truncateFully() throws IOException {
        clear();
        for (long offset : snapshotOffsets()) {
            Files.deleteIfExists(
                    LogFiles.file(dir, offset, LogFiles.SNAPSHOT_SUFFIX).toPath());
        }
    }

    /** Deletes snapshot files below {@code offset} except the newest one, which still seeds the next load. */
    public void deleteSnapshotsBelow(long offset) throws IOException {
        List<Long> offsets = snapshotOffsets();
        for (int i = 0; i < offsets.size() - 1; i++) {
            if (offsets.get(i) < offset) {
                Files.deleteIfExists(LogFiles.file(dir, offsets.get(i), LogFiles.SNAPSHOT_SUFFIX)
                        .toPath());
            }
        }
    }

    /** The producers with state here, in producer id order. */
    public java.util.List<io.herald.storage.ActiveProducer> activeProducers() {
        return producers.values().stream()
                .sorted(java.util.Comparator.comparingLong(e -> e.producerId))
                .map(e -> new io.herald.storage.ActiveProducer(
                        e.producerId,
                        e.epoch,
                        e.lastSequence(),
                        e.lastTimestamp,
                        e.coordinatorEpoch,
                        e.currentTxnFirstOffset))
                .toList();
    }

    /** Forces the snapshot at {@code nextOffset} and its directory entry to disk; gone (pruned) is fine. */
    public void syncSnapshot(long nextOffset) throws IOException {
        File f = LogFiles.file(dir, nextOffset, LogFiles.SNAPSHOT_SUFFIX);
        try (java.nio.channels.FileChannel ch =
                java.nio.channels.FileChannel.open(f.toPath(), java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        LogFiles.fsyncDir(dir);
    }
}
