package io.herald.storage;

import io.herald.common.Clock;
import io.herald.storage.internal.Appender;
import io.herald.storage.internal.LeaderEpochCache;
import io.herald.storage.internal.LoadedLog;
import io.herald.storage.internal.LogLoader;
import io.herald.storage.internal.LogSegment;
import io.herald.storage.internal.ProducerStateManager;
import io.herald.storage.internal.SegmentReads;
import io.herald.storage.internal.SegmentSet;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: appends (validated, offsets assigned, idempotence checked), zero-copy reads, offset
 * lookups, flushing, truncation and retention over a directory of segments. Writers are serialized by a per-partition
 * lock; reads run without it and only ever see batches below the end offset published after a completed append.
 */
public final class PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    /** Offset and physical position of the log end, published together after each append. */
    private record EndOffset(long offset, long segmentBase, int position) {}

    private final TopicPartition topicPartition;
    private final File dir;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final SegmentSet segments;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final Appender appender;
    private volatile LogConfig config;
    private volatile long logStartOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile EndOffset end;
    private volatile Runnable truncationListener = () -> {};
    private volatile Consumer<Exception> ioFailureListener = e -> {};
    private volatile boolean offline; // its log dir failed: nothing is read or written any more
    private volatile long cleanerCheckpoint; // first offset the cleaner has not mapped yet (the dirty section's start)
    private long truncations; // counts truncations, so a cleaning that overlapped one is discarded
    private long unflushedRecords;
    private long lastFlushMs;
    private boolean closed;
    private boolean handlesOpen = true;

    private PartitionLog(
            TopicPartition tp, File dir, LogConfig config, Clock clock, Scheduler scheduler, LoadedLog loaded)
            throws IOException {
        this.topicPartition = tp;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.segments = new SegmentSet(tp.toString(), dir, loaded.segments(), scheduler);
        this.logStartOffset = loaded.logStartOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.producerState = new ProducerStateManager(dir);
        this.epochCache = new LeaderEpochCache(dir);
        this.appender = new Appender(segments, producerState, epochCache, tp);
        this.lastFlushMs = clock.millis();
        publishEnd();
        this.highWatermark = logStartOffset;
        epochCache.truncateFromEnd(logEndOffset());
        epochCache.truncateFromStart(logStartOffset);
        rebuildProducerState();
    }

    /**
     * Opens (creating if needed) the partition directory {@code dir}. After an unclean shutdown the data from
     * {@code recoveryPoint} on is rescanned and repaired.
     */
    public static PartitionLog open(
            TopicPartition tp,
            File dir,
            LogConfig config,
            long checkpointedStartOffset,
            long recoveryPoint,
            boolean cleanShutdown,
            Clock clock,
            Scheduler scheduler) {
        try {
            if (!dir.isDirectory() && !dir.mkdirs()) {
                throw new IOException("cannot create " + dir);
            }
            LoadedLog loaded = LogLoader.load(
                    tp.toString(),
                    dir,
                    config.indexIntervalBytes(),
                    config.segmentIndexBytes(),
                    checkpointedStartOffset,
                    recoveryPoint,
                    cleanShutdown,
                    clock.millis());
            return new PartitionLog(tp, dir, config, clock, scheduler, loaded);
        } catch (IOException | UncheckedIOException e) {
            throw new KafkaStorageException("failed to load " + tp + " from " + dir, e);
        }
    }

    /** Appends a producer's batches with the leader's epoch; see {@link #append(MemoryRecords, int, AppendOrigin)}. */
    public LogAppendInfo append(MemoryRecords records, int leaderEpoch) {
        return append(records, leaderEpoch, AppendOrigin.CLIENT);
    }

    /**
     * Validates and appends {@code records}, assigning offsets from the log end offset and stamping
     * {@code leaderEpoch} on every batch. A retried duplicate of a recent idempotent batch returns the original
     * offsets without writing. Throws the Kafka error that the Produce response should carry.
     */
    public LogAppendInfo append(MemoryRecords records, int leaderEpoch, AppendOrigin origin) {
        return appendLocked(false, records, leaderEpoch, origin);
    }

    /** Replication: appends the leader's batches unchanged; they must start at or past the log end (else truncate). */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        return appendLocked(true, records, -1, AppendOrigin.COORDINATOR);
    }

    private LogAppendInfo appendLocked(boolean follower, MemoryRecords records, int leaderEpoch, AppendOrigin origin) {
        lock.lock();
        try {
            ensureOpen();
            LogConfig cfg = config;
            long nowMs = clock.millis();
            Appender.Result result = follower
                    ? appender.appendAsFollower(records, cfg, nowMs, logStartOffset)
                    : appender.append(records, leaderEpoch, origin, cfg, nowMs, logStartOffset);
            if (result.info().duplicate() || result.info().firstOffset() < 0) {
                return result.info();
            }
            if (result.rolledAtOffset() >= 0) {
                long truncationsNow = truncations;
                segments.runSoon("flush-" + topicPartition, () -> flushBelow(result.rolledAtOffset(), truncationsNow));
            }
            publishEnd();
            unflushedRecords += result.info().recordCount();
            if (unflushedRecords >= cfg.flushMessages()) {
                flushLocked();
            }
            return result.info();
        } catch (IOException | UncheckedIOException e) {
            throw ioFailed("append to " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void publishEnd() {
        LogSegment active = segments.active();
        end = new EndOffset(active.nextOffset(), active.baseOffset(), active.sizeInBytes());
    }

    /**
     * Reads whole batches from the one containing {@code fetchOffset}, at most {@code maxBytes} (but at least one
     * batch when {@code minOneBatch}), never reaching {@code maxOffsetExclusive} (the HW for consumers, the LEO for
     * followers). Throws OffsetOutOfRangeException when fetchOffset is below the log start or beyond the log end.
     */
    public FetchDataInfo read(long fetchOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        if (offline) {
            throw new KafkaStorageException("the log dir of " + topicPartition + " is offline");
        }
        while (true) {
            long startOffset = logStartOffset;
            long hw = highWatermark;
            EndOffset endNow = end;
            if (fetchOffset < startOffset || fetchOffset > endNow.offset()) {
                throw new OffsetOutOfRangeException("offset " + fetchOffset + " is out of range [" + startOffset + ", "
                        + endNow.offset() + "] of " + topicPartition);
            }
            Map.Entry<Long, LogSegment> holder = segments.map().floorEntry(fetchOffset);
            if (holder == null) { // retention removed it after the range check
                throw new OffsetOutOfRangeException(
                        "offset " + fetchOffset + " is below the log start of " + topicPartition);
            }
            long maxOffset = Math.min(maxOffsetExclusive, endNow.offset());
            FileRecords records = SegmentReads.read(
                    segments.map(),
                    fetchOffset,
                    maxBytes,
                    maxOffset,
                    endNow.offset(),
                    endNow.segmentBase(),
                    endNow.position(),
                    minOneBatch);
            if (segments.map().get(holder.getKey()) == holder.getValue()) {
                return new FetchDataInfo(
                        fetchOffset, records == null ? MemoryRecords.EMPTY : records, startOffset, hw, endNow.offset());
            }
            // Its segment went (retention, compaction) mid-read: look again, never skip to a later segment.
        }
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return end.offset();
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    /**
     * Raises the high watermark to {@code offset}, clamped to the log end offset; it never moves backwards (only a
     * truncation lowers it). Returns the value in force.
     */
    public long updateHighWatermark(long offset) {
        return locked(() -> {
            highWatermark = Math.max(highWatermark, Math.max(logStartOffset, Math.min(offset, logEndOffset())));
            producerState.onHighWatermarkUpdated(highWatermark);
            return highWatermark;
        });
    }

    /** Replication: this replica leads {@code epoch} from {@code startOffset} on, before its first append in it. */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        locked(() -> {
            ensureOpen();
            epochCache.assign(epoch, startOffset);
            return null;
        });
    }

    /** ListOffsets EARLIEST: the log start offset and the epoch it was written in. */
    public TimestampOffset earliestOffset() {
        long start = logStartOffset;
        return new TimestampOffset(TimestampOffset.UNKNOWN_TIMESTAMP, start, epochAt(start));
    }

    /** ListOffsets LATEST: the log end offset and latest epoch (the broker caps to the HW for consumers). */
    public TimestampOffset latestOffset() {
        Optional<Integer> epoch = Optional.of(epochCache.latestEpoch()).filter(e -> e >= 0);
        return new TimestampOffset(TimestampOffset.UNKNOWN_TIMESTAMP, logEndOffset(), epoch);
    }

    private Optional<Integer> epochAt(long offset) {
        return Optional.of(epochCache.epochForOffset(offset)).filter(e -> e >= 0);
    }

    /** The first record at or after the log start with timestamp &gt;= {@code targetTimestampMs}, if any. */
    public Optional<TimestampOffset> offsetForTimestamp(long targetTimestampMs) {
        return locked(() -> Optional.ofNullable(
                        SegmentReads.offsetForTimestamp(segments.map(), targetTimestampMs, logStartOffset))
                .map(f -> new TimestampOffset(f.timestamp, f.offset, f.leaderEpoch)));
    }

    /** ListOffsets MAX_TIMESTAMP: the first record carrying the largest timestamp in the log, if any. */
    public Optional<TimestampOffset> maxTimestampOffset() {
        return locked(() -> Optional.ofNullable(SegmentReads.maxTimestamp(segments.map()))
                .filter(f -> f.offset >= logStartOffset)
                .map(f -> new TimestampOffset(f.timestamp, f.offset, f.leaderEpoch)));
    }

    /** OffsetForLeaderEpoch: the end offset of {@code leaderEpoch} as Kafka defines it. */
    public EpochEndOffset endOffsetForEpoch(int leaderEpoch) {
        long[] r = epochCache.endOffsetFor(leaderEpoch, logEndOffset());
        return r[0] < 0 ? EpochEndOffset.UNDEFINED : new EpochEndOffset((int) r[0], r[1]);
    }

    public int latestEpoch() {
        return epochCache.latestEpoch();
    }

    /** Forgets idempotent producers idle longer than {@code expirationMs} (producer.id.expiration.ms). */
    public int removeExpiredProducers(long expirationMs) {
        return locked(() -> producerState.expireProducers(clock.millis(), expirationMs));
    }

    /**
     * The last stable offset for read_committed fetches and ListOffsets: the high watermark, or the first offset of
     * the earliest transaction still open (or ended by a marker the high watermark has not passed) when that is lower.
     */
    public long lastStableOffset() {
        long hw = highWatermark; // read first: the first unstable offset only moves up while the HW does
        long firstUnstable = producerState.firstUnstableOffset();
        return firstUnstable >= 0 ? Math.min(firstUnstable, hw) : hw;
    }

    /** First offset of the earliest unstable transaction (see {@link #lastStableOffset}), or -1. Lock-free. */
    public long firstUnstableOffset() {
        return producerState.firstUnstableOffset();
    }

    /** read_committed: the aborted transactions overlapping [{@code startOffset}, {@code upperBoundOffset}). */
    public List<AbortedTxn> abortedTransactions(long startOffset, long upperBoundOffset) {
        return SegmentReads.abortedTransactions(segments.map(), startOffset, upperBoundOffset);
    }

    /** The producers with state in this partition (DescribeProducers). */
    public List<ActiveProducer> activeProducers() {
        return locked(() -> producerState.activeProducers());
    }

    /** Forces everything appended so far to disk and moves the recovery point to the log end offset. */
    public void flush() {
        flushWhen(() -> {
            ensureOpen();
            return true;
        });
    }

    /** Flushes when flush.ms has passed since the last flush and something is unflushed (LogManager's flusher). */
    public void maybeFlushByTime() {
        flushWhen(() -> !closed && unflushedRecords > 0 && clock.millis() - lastFlushMs >= config.flushMs());
    }

    private void flushWhen(java.util.function.BooleanSupplier due) {
        lock.lock();
        try {
            if (due.getAsBoolean()) {
                flushLocked();
            }
        } catch (IOException | UncheckedIOException e) {
            throw ioFailed("flush of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Kafka's flush after a roll: on the storage scheduler, without the partition lock; then the recovery point. */
    void flushBelow(long offset, long truncationsAtRoll) {
        // After a truncation the offset may lie beyond the log: such a flush proves nothing (the next roll's will).
        Supplier<Boolean> current = () -> !closed && !offline && truncations == truncationsAtRoll;
        long from = locked(() -> current.get() ? recoveryPoint : Long.MAX_VALUE);
        try {
            if (from < offset) {
                segments.flushBelow(from, offset);
                producerState.syncSnapshot(offset);
                locked(() -> recoveryPoint = current.get() ? Math.max(recoveryPoint, offset) : recoveryPoint);
            }
        } catch (IOException | UncheckedIOException e) {
            if (!closed) {
                throw ioFailed("flush of " + topicPartition + " failed", e);
            }
        }
    }

    private void flushLocked() throws IOException {
        long target = logEndOffset();
        segments.flushFrom(recoveryPoint);
        recoveryPoint = target;
        unflushedRecords = 0;
        lastFlushMs = clock.millis();
    }

    /**
     * The sealed segments below the first uncleanable offset: the minimum of the active segment's base, the last
     * stable offset (so ongoing transactions and data above the high watermark are never touched) and the base of the
     * first segment holding a record newer than min.compaction.lag.ms. Null when the log is closed.
     */
    CleanableSection cleanableSection(long nowMs) {
        return locked(() -> {
            if (closed) {
                return null;
            }
            long lso = lastStableOffset();
            LogConfig cfg = config;
            long uncleanable = SegmentReads.firstUncleanable(
                    segments.list(), Math.min(segments.active().baseOffset(), lso), nowMs, cfg.minCompactionLagMs());
            List<LogSegment> sealed = SegmentReads.below(segments.list(), uncleanable);
            long start = logStartOffset;
            long firstDirty = Math.min(Math.max(cleanerCheckpoint, start), Math.max(start, uncleanable));
            return new CleanableSection(sealed, start, firstDirty, Math.max(start, uncleanable), truncations, cfg);
        });
    }

    /**
     * Swaps {@code cleaned} (files suffixed .cleaned) in for the consecutive segments {@code old}, crash-safely:
     * .cleaned becomes .swap, the old segments become .deleted (removed after file.delete.delay.ms), .swap loses its
     * suffix. Returns false, changing nothing, when the log closed or truncated or {@code old} is no longer current.
     * {@code faults} is told each step (tests inject crashes there).
     */
    boolean replaceSegments(List<LogSegment> old, LogSegment cleaned, long expectedTruncations, Consumer<String> faults)
            throws IOException {
        lock.lock();
        try {
            if (closed || truncations != expectedTruncations) {
                return false;
            }
            for (LogSegment s : old) {
                if (segments.map().get(s.baseOffset()) != s || s == segments.active()) {
                    return false;
                }
            }
            segments.replace(old, cleaned, config.fileDeleteDelayMs(), faults);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Per producer id the last offset of its last batch: the cleaner keeps that batch (emptied if need be). Taken
     * after {@link #cleanableSection}: a producer that appended since has its last batch beyond the cleaned range.
     */
    Map<Long, Long> producerLastBatchOffsets() {
        return locked(() -> producerState.lastBatchOffsets());
    }

    /** Moves the cleaner checkpoint to {@code offset} unless a truncation happened since the cleaning began. */
    boolean advanceCleanerCheckpoint(long offset, long expectedTruncations) {
        return locked(() -> {
            if (truncations != expectedTruncations || closed) {
                return false;
            }
            cleanerCheckpoint = Math.max(cleanerCheckpoint, Math.min(offset, logEndOffset()));
            return true;
        });
    }

    void initCleanerCheckpoint(long offset) { // read from cleaner-offset-checkpoint at load
        cleanerCheckpoint = Math.max(0, Math.min(offset, logEndOffset()));
    }

    /** The first offset of the dirty section: everything below it has been cleaned at least once. */
    public long cleanerCheckpoint() {
        return Math.max(cleanerCheckpoint, logStartOffset);
    }

    /** Called (under the partition lock) after a truncation moved the recovery point back. */
    void onTruncation(Runnable listener) {
        this.truncationListener = listener;
    }

    public void updateConfig(LogConfig newConfig) {
        config = newConfig;
    }

    public LogConfig config() {
        return config;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public File dir() {
        return dir;
    }

    public int numberOfSegments() {
        return segments.count();
    }

    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    /** Base offsets of the live segments, ascending. */
    public List<Long> segmentBaseOffsets() {
        return segments.baseOffsets();
    }

    /** Applies retention.ms, retention.bytes and the log start offset (active segment included, as in Kafka). */
    public int deleteOldSegments() {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            long nowMs = clock.millis();
            List<LogSegment> doomed = SegmentReads.deletable(
                    segments.list(), config, nowMs, logStartOffset, highWatermark, logEndOffset());
            if (!doomed.isEmpty() && doomed.get(doomed.size() - 1) == segments.active()) {
                long rolledAt = appender.roll(config, nowMs); // the whole log goes: an empty segment takes over
                long truncationsNow = truncations;
                segments.runSoon("flush-" + topicPartition, () -> flushBelow(rolledAt, truncationsNow));
            }
            if (!doomed.isEmpty()) {
                deleteSegments(doomed, "retention");
            }
            return doomed.size();
        } catch (IOException | UncheckedIOException e) {
            throw ioFailed("retention of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void deleteSegments(List<LogSegment> doomed, String reason) throws IOException {
        segments.retire(doomed, config.fileDeleteDelayMs());
        logStartOffset = Math.max(logStartOffset, segments.firstBaseOffset());
        epochCache.truncateFromStart(logStartOffset);
        producerState.deleteSnapshotsBelow(logStartOffset);
        LOG.info(
                "Deleted {} segments of {} ({}), log start offset is now {}",
                doomed.size(),
                topicPartition,
                reason,
                logStartOffset);
    }

    /**
     * DeleteRecords: moves the log start offset to {@code offset} and drops whole segments below it. Returns the new
     * log start offset. An offset beyond the high watermark is an OffsetOutOfRangeException.
     */
    public long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            ensureOpen();
            if (offset > highWatermark || offset < 0) {
                throw new OffsetOutOfRangeException(
                        "cannot delete records before " + offset + ": high watermark is " + highWatermark);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                epochCache.truncateFromStart(offset);
                List<LogSegment> doomed = SegmentReads.whollyBelow(segments.list(), offset);
                if (!doomed.isEmpty()) {
                    deleteSegments(doomed, "DeleteRecords");
                }
            }
            return logStartOffset;
        } catch (IOException | UncheckedIOException e) {
            throw ioFailed("DeleteRecords on " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes every batch at or beyond {@code targetOffset} (replication truncation). Returns whether anything was
     * removed. Below the log start offset the log is emptied and restarts at {@code targetOffset}.
     */
    public boolean truncateTo(long targetOffset) {
        return truncate(targetOffset, false);
    }

    /** Replication: empties the log, which restarts at {@code offset} (a follower below the leader's log start). */
    public void truncateFullyAndStartAt(long offset) {
        truncate(offset, true);
    }

    private boolean truncate(long targetOffset, boolean fully) {
        lock.lock();
        try {
            ensureOpen();
            if (targetOffset < 0) {
                throw new IllegalArgumentException("cannot truncate to negative offset " + targetOffset);
            }
            if (!fully && targetOffset >= logEndOffset()) {
                epochCache.truncateFromEnd(targetOffset); // an epoch led here without appends ends at the log end
                return false;
            }
            boolean restarted = fully || targetOffset < logStartOffset;
            if (restarted) {
                segments.restartAt(targetOffset, config, clock.millis(), config.fileDeleteDelayMs());
                logStartOffset = targetOffset;
            } else {
                segments.truncateTo(targetOffset, config.fileDeleteDelayMs());
                if (segments.active().nextOffset() < logStartOffset) {
                    // Whole batches go: cutting the one holding the log start would end the log below its start.
                    segments.restartAt(logStartOffset, config, clock.millis(), config.fileDeleteDelayMs());
                    restarted = true;
                }
            }
            publishEnd();
            long newEnd = logEndOffset();
            truncations++;
            cleanerCheckpoint = Math.min(cleanerCheckpoint, newEnd);
            highWatermark = Math.max(logStartOffset, Math.min(highWatermark, newEnd));
            recoveryPoint = Math.min(recoveryPoint, newEnd);
            if (restarted) {
                // Nothing is left to rebuild from: the log starts over, as Kafka's truncateFullyAndStartAt does.
                epochCache.clear();
                producerState.truncateFully();
            } else {
                epochCache.truncateFromEnd(newEnd);
                rebuildProducerState();
            }
            LOG.info("Truncated {} to offset {} (log end offset now {})", topicPartition, targetOffset, newEnd);
            // The recovery point went back: the persisted one must follow before new data lands above it.
            truncationListener.run();
            return true;
        } catch (IOException | UncheckedIOException e) {
            throw ioFailed("truncation of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void rebuildProducerState() throws IOException {
        producerState.rebuild(segments.map(), logEndOffset());
        producerState.onHighWatermarkUpdated(highWatermark);
    }

    /** Clean close: final time-index entry, flush, producer snapshot at the log end, files closed. */
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            segments.active().onBecomeInactive();
            flushLocked();
            producerState.takeSnapshot(logEndOffset());
            closeSegments();
        } catch (IOException | UncheckedIOException e) {
            throw ioFailed("close of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Closes file handles without flushing or snapshotting: what a crash leaves behind (tests, failed dirs). */
    void closeUncleanly() {
        lock.lock();
        try {
            closeSegments();
        } catch (IOException e) {
            LOG.warn("Unclean close of {} failed: {}", topicPartition, e.toString());
        } finally {
            lock.unlock();
        }
    }

    private void closeSegments() throws IOException {
        closed = true;
        if (handlesOpen) {
            handlesOpen = false;
            segments.closeAll();
        }
    }

    /** Deletion: refuses writes from now on but keeps the files open for reads in flight; closeUncleanly ends them. */
    void retireForDeletion() {
        locked(() -> closed = true);
    }

    boolean isClosed() {
        return closed;
    }

    /** An I/O error: the log goes offline at once (no unwritten data is acknowledged), then its whole dir does. */
    private KafkaStorageException ioFailed(String what, Exception e) {
        offline = true;
        ioFailureListener.accept(e);
        return new KafkaStorageException(what + ": " + e.getMessage(), e);
    }

    /** Called with the cause of every I/O error (the log manager marks the log dir offline). */
    void onIoFailure(Consumer<Exception> listener) {
        this.ioFailureListener = listener;
    }

    /** Its log dir failed: appends and reads answer KAFKA_STORAGE_ERROR from now on (the caller drops the handles). */
    void markOffline() {
        offline = true;
    }

    public boolean isOffline() { // its log dir failed
        return offline;
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (offline) {
            throw new KafkaStorageException("the log dir of " + topicPartition + " is offline");
        }
        if (closed) {
            throw new KafkaStorageException("log of " + topicPartition + " is closed");
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset() + ", hw="
                + highWatermark + ")";
    }
}
