package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.FileRecords.LogOffsetPosition;
import org.apache.kafka.common.record.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: a {@code .log} file of record batches exactly as on the wire, plus its sparse offset
 * and time indexes. Not thread-safe for writers (the partition lock serializes them); readers may call
 * {@link #read} concurrently because they never look past a position the writer already published.
 */
public final class LogSegment {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);
    private final long baseOffset;
    private final FileRecords log;
    private SegmentIndex offsetIndex;
    private SegmentIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final int maxIndexBytes;
    private final long createdMs;
    private int bytesSinceLastIndexEntry;
    private long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private long offsetOfMaxTimestampSoFar = -1; // base offset of the first batch carrying the max timestamp
    private long firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
    private long nextOffset;

    private LogSegment(
            long baseOffset,
            FileRecords log,
            SegmentIndex offsetIndex,
            SegmentIndex timeIndex,
            TransactionIndex txnIndex,
            int indexIntervalBytes,
            int maxIndexBytes,
            long createdMs) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.maxIndexBytes = maxIndexBytes;
        this.createdMs = createdMs;
        this.nextOffset = baseOffset;
    }

    /** Creates a new empty segment starting at {@code baseOffset} in {@code dir}. */
    public static LogSegment create(File dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes, long nowMs)
            throws IOException {
        return create(dir, baseOffset, "", indexIntervalBytes, maxIndexBytes, nowMs);
    }

    /**
     * Creates a new empty segment whose three files carry {@code suffix} after their usual names (e.g. the cleaner's
     * {@code .cleaned}); {@link #renameSuffix} gives them their final names.
     */
    public static LogSegment create(
            File dir, long baseOffset, String suffix, int indexIntervalBytes, int maxIndexBytes, long nowMs)
            throws IOException {
        File logFile =
                new File(LogFiles.file(dir, baseOffset, LogFiles.LOG_SUFFIX).getPath() + suffix);
        FileRecords log = FileRecords.open(logFile, true, false, 0, false);
        log.truncateTo(0);
        SegmentIndex offsets = SegmentIndex.createEmpty(
                SegmentIndex.Kind.OFFSET,
                new File(LogFiles.file(dir, baseOffset, LogFiles.INDEX_SUFFIX).getPath() + suffix),
                maxIndexBytes);
        SegmentIndex times = SegmentIndex.createEmpty(
                SegmentIndex.Kind.TIME,
                new File(LogFiles.file(dir, baseOffset, LogFiles.TIME_INDEX_SUFFIX)
                                .getPath()
                        + suffix),
                maxIndexBytes);
        File txnFile = new File(
                LogFiles.file(dir, baseOffset, LogFiles.TXN_INDEX_SUFFIX).getPath() + suffix);
        Files.deleteIfExists(txnFile.toPath());
        TransactionIndex txns = TransactionIndex.open(txnFile);
        return new LogSegment(baseOffset, log, offsets, times, txns, indexIntervalBytes, maxIndexBytes, nowMs);
    }

    /**
     * Opens an existing segment. Indexes are trusted when sane (the caller recovers segments after the recovery point
     * separately); missing or inconsistent ones are rebuilt by a scan. Only the {@code active} segment keeps its
     * indexes in memory.
     */
    public static LogSegment open(File dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes, boolean active)
            throws IOException {
        File logFile = LogFiles.file(dir, baseOffset, LogFiles.LOG_SUFFIX);
        FileRecords log = FileRecords.open(logFile, true, true, 0, false);
        File offsetFile = LogFiles.file(dir, baseOffset, LogFiles.INDEX_SUFFIX);
        File timeFile = LogFiles.file(dir, baseOffset, LogFiles.TIME_INDEX_SUFFIX);
        long maxPosition = Math.max(1, log.sizeInBytes());
        SegmentIndex offsets = active
                ? SegmentIndex.loadIfSane(SegmentIndex.Kind.OFFSET, offsetFile, maxIndexBytes, maxPosition)
                : SegmentIndex.openSealed(SegmentIndex.Kind.OFFSET, offsetFile, maxIndexBytes, maxPosition);
        SegmentIndex times = active
                ? SegmentIndex.loadIfSane(SegmentIndex.Kind.TIME, timeFile, maxIndexBytes, Integer.MAX_VALUE)
                : SegmentIndex.openSealed(SegmentIndex.Kind.TIME, timeFile, maxIndexBytes, Integer.MAX_VALUE);
        TransactionIndex txns = TransactionIndex.open(LogFiles.file(dir, baseOffset, LogFiles.TXN_INDEX_SUFFIX));
        LogSegment segment = new LogSegment(
                baseOffset, log, offsets, times, txns, indexIntervalBytes, maxIndexBytes, logFile.lastModified());
        if (offsets == null || times == null) {
            int truncated = segment.recover(Integer.MAX_VALUE);
            LOG.warn("Rebuilt the indexes of {}{}", logFile, truncated > 0 ? ", cutting " + truncated + " bytes" : "");
            if (!active) {
                segment.seal();
            }
        } else {
            segment.loadTailState();
        }
        return segment;
    }

    /** Releases the in-memory index copies of a segment that takes no more appends. */
    public void seal() throws IOException {
        offsetIndex.seal();
        timeIndex.seal();
        txnIndex.seal();
    }

    /**
     * Scans the tail after the last offset-index entry to find the next offset and the max timestamp. Bytes after the
     * last whole batch (a write torn despite a clean shutdown) are cut so appends never land behind garbage.
     */
    private void loadTailState() throws IOException {
        if (timeIndex.entries() > 0) {
            maxTimestampSoFar = timeIndex.lastKey();
            offsetOfMaxTimestampSoFar = baseOffset + timeIndex.lastValue();
        }
        int validEnd = Math.max(0, offsetIndex.lastValue());
        try {
            for (FileChannelRecordBatch batch : log.batchesFrom(validEnd)) {
                observeBatch(batch);
                validEnd = batch.position() + batch.sizeInBytes();
            }
        } catch (KafkaException e) {
            // A header that cannot be a batch ends the valid data, as a torn one does.
        }
        if (validEnd < log.sizeInBytes()) {
            LOG.warn("Cut {} stray bytes after the last whole batch of {}", log.sizeInBytes() - validEnd, log.file());
            log.truncateTo(validEnd);
        }
        loadFirstBatchTimestamp();
    }

    private void loadFirstBatchTimestamp() {
        for (FileChannelRecordBatch batch : log.batches()) {
            firstBatchTimestamp = batch.maxTimestamp();
            break;
        }
    }

    private void observeBatch(RecordBatch batch) {
        nextOffset = Math.max(nextOffset, batch.nextOffset());
        if (batch.maxTimestamp() > maxTimestampSoFar) {
            maxTimestampSoFar = batch.maxTimestamp();
            offsetOfMaxTimestampSoFar = batch.baseOffset();
        }
    }

    /**
     * Validates every batch (CRC, offsets monotonic and within this segment, size), truncates the file at the first bad
     * or torn batch and rebuilds the indexes. Returns the number of bytes truncated.
     */
    public int recover(int maxBatchBytes) throws IOException {
        resetIndexes();
        nextOffset = baseOffset;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = -1;
        bytesSinceLastIndexEntry = 0;
        int validBytes = 0;
        try {
            for (FileChannelRecordBatch batch : log.batches()) {
                batch.ensureValid();
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2
                        || batch.baseOffset() < nextOffset
                        || batch.lastOffset() < batch.baseOffset()
                        || batch.lastOffset() - baseOffset > Integer.MAX_VALUE
                        || batch.sizeInBytes() > maxBatchBytes) {
                    break;
                }
                indexBatch(batch, validBytes);
                observeBatch(batch);
                validBytes += batch.sizeInBytes();
            }
        } catch (KafkaException e) {
            // A corrupt header or CRC ends the valid prefix; everything after it is discarded below.
        }
        int truncated = log.sizeInBytes() - validBytes;
        if (truncated > 0) {
            log.truncateTo(validBytes);
        }
        // Aborts whose marker was cut go; those after the producer snapshot are re-derived by the replay that follows.
        txnIndex.truncateTo(nextOffset);
        loadFirstBatchTimestamp();
        return truncated;
    }

    private void resetIndexes() throws IOException {
        File offsetFile = offsetIndex != null ? offsetIndex.file() : sibling(LogFiles.INDEX_SUFFIX);
        File timeFile = timeIndex != null ? timeIndex.file() : sibling(LogFiles.TIME_INDEX_SUFFIX);
        if (offsetIndex != null) {
            offsetIndex.close();
        }
        if (timeIndex != null) {
            timeIndex.close();
        }
        offsetIndex = SegmentIndex.createEmpty(SegmentIndex.Kind.OFFSET, offsetFile, maxIndexBytes);
        timeIndex = SegmentIndex.createEmpty(SegmentIndex.Kind.TIME, timeFile, maxIndexBytes);
    }

    private File sibling(String suffix) {
        return LogFiles.file(log.file().getParentFile(), baseOffset, suffix);
    }

    /**
     * Appends already validated batches with assigned offsets; the caller checked {@link #shouldRoll} first. The bytes
     * are written first and the in-memory state (indexes, next offset, max timestamp) moves only after the write
     * completed: on an I/O error the file is cut back to where it was and nothing of the append stays visible.
     */
    public void append(MemoryRecords records) throws IOException {
        int start = log.sizeInBytes();
        long expected = nextOffset;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.baseOffset() < expected || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                throw new IllegalStateException("batch offsets " + batch.baseOffset() + ".." + batch.lastOffset()
                        + " do not follow " + expected + " in segment " + baseOffset);
            }
            expected = batch.nextOffset();
        }
        long savedNext = nextOffset;
        long savedMaxTs = maxTimestampSoFar;
        long savedMaxTsOffset = offsetOfMaxTimestampSoFar;
        long savedFirstTs = firstBatchTimestamp;
        int savedSinceIndex = bytesSinceLastIndexEntry;
        int offsetEntries = offsetIndex.entries();
        int timeEntries = timeIndex.entries();
        try {
            int written = log.append(records);
            if (written != records.sizeInBytes()) {
                throw new IOException("short append: " + written + " of " + records.sizeInBytes());
            }
            int position = start;
            for (MutableRecordBatch batch : records.batches()) {
                if (position == 0) {
                    firstBatchTimestamp = batch.maxTimestamp();
                }
                indexBatch(batch, position);
                observeBatch(batch);
                position += batch.sizeInBytes();
            }
        } catch (IOException | RuntimeException e) {
            nextOffset = savedNext;
            maxTimestampSoFar = savedMaxTs;
            offsetOfMaxTimestampSoFar = savedMaxTsOffset;
            firstBatchTimestamp = savedFirstTs;
            bytesSinceLastIndexEntry = savedSinceIndex;
            undoAppend(start, offsetEntries, timeEntries, e);
            throw e;
        }
    }

    /** Cuts the files back to what they held before a failed append, so no part of it is ever read or recovered. */
    private void undoAppend(int size, int offsetEntries, int timeEntries, Exception cause) {
        try {
            log.truncateTo(size);
            offsetIndex.truncateToEntries(offsetEntries);
            timeIndex.truncateToEntries(timeEntries);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void indexBatch(RecordBatch batch, int position) throws IOException {
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.maybeAppend(batch.lastOffset() - baseOffset, position);
            long maxTs = Math.max(maxTimestampSoFar, batch.maxTimestamp());
            long maxTsOffset =
                    batch.maxTimestamp() > maxTimestampSoFar ? batch.baseOffset() : offsetOfMaxTimestampSoFar;
            if (maxTs >= 0) {
                timeIndex.maybeAppend(maxTs, (int) (maxTsOffset - baseOffset));
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /** Whether a batch set of {@code sizeBytes} ending at {@code lastOffset} must go to a new segment. */
    public boolean shouldRoll(
            int segmentBytes, long segmentMs, int sizeBytes, long maxTimestamp, long lastOffset, long nowMs) {
        if (log.sizeInBytes() == 0) {
            return false;
        }
        long reference = firstBatchTimestamp >= 0 ? firstBatchTimestamp : createdMs;
        long now = firstBatchTimestamp >= 0 && maxTimestamp >= 0 ? maxTimestamp : nowMs;
        return (long) log.sizeInBytes() + sizeBytes > segmentBytes
                || now - reference > segmentMs
                || offsetIndex.isFull()
                || timeIndex.isFull()
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /** Position and size of the first batch whose last offset is &gt;= {@code offset}, or null if none. */
    public LogOffsetPosition translateOffset(long offset) {
        int start = offsetIndex.floorValue(offset - baseOffset, 0);
        return log.searchForOffsetFromPosition(offset, start);
    }

    /**
     * Reads whole batches starting with the one containing {@code startOffset}, at most {@code maxBytes} (but the first
     * batch whole when {@code minOneBatch}), never past {@code maxPosition}. Null when startOffset is beyond the data.
     */
    public FileRecords read(long startOffset, int maxBytes, int maxPosition, boolean minOneBatch) {
        LogOffsetPosition start = translateOffset(startOffset);
        if (start == null || start.position >= maxPosition) {
            return null;
        }
        int available = maxPosition - start.position;
        int size = Math.min(available, maxBytes);
        if (minOneBatch && start.size > size) {
            size = Math.min(available, start.size);
        }
        if (size < start.size && !minOneBatch) {
            // Only whole batches are returned: fewer bytes than the first batch means nothing fits.
            return log.slice(start.position, 0);
        }
        int end = start.position;
        for (FileChannelRecordBatch batch : log.batchesFrom(start.position)) {
            int batchEnd = batch.position() + batch.sizeInBytes();
            if (batchEnd - start.position > size || batchEnd > maxPosition) {
                break;
            }
            end = batchEnd;
        }
        return log.slice(start.position, end - start.position);
    }

    /** First record at or after {@code startingOffset} whose timestamp is &gt;= {@code targetTimestamp}, or null. */
    public TimestampAndOffset findOffsetByTimestamp(long targetTimestamp, long startingOffset) {
        long[] entry = timeIndex.lowerEntry(targetTimestamp);
        long fromOffset = Math.max(startingOffset, entry == null ? baseOffset : baseOffset + entry[1]);
        int position = offsetIndex.floorValue(fromOffset - baseOffset, 0);
        return log.searchForTimestamp(targetTimestamp, position, fromOffset);
    }

    /** The first record carrying this segment's max timestamp, with its batch's leader epoch, or null if none. */
    public TimestampAndOffset maxTimestampRecord() {
        if (offsetOfMaxTimestampSoFar < 0) {
            return null;
        }
        LogOffsetPosition pos = translateOffset(offsetOfMaxTimestampSoFar);
        for (FileChannelRecordBatch batch : log.batchesFrom(pos.position)) {
            if (batch.maxTimestamp() != maxTimestampSoFar) {
                continue;
            }
            Optional<Integer> epoch =
                    batch.partitionLeaderEpoch() >= 0 ? Optional.of(batch.partitionLeaderEpoch()) : Optional.empty();
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                return new TimestampAndOffset(maxTimestampSoFar, batch.baseOffset(), epoch);
            }
            for (Record record : batch) {
                if (record.timestamp() == maxTimestampSoFar) {
                    return new TimestampAndOffset(maxTimestampSoFar, record.offset(), epoch);
                }
            }
        }
        return null;
    }

    /** Removes every batch containing offsets &gt;= {@code offset}; returns the bytes removed. */
    public int truncateTo(long offset) throws IOException {
        LogOffsetPosition pos = translateOffset(offset);
        if (pos == null) {
            return 0;
        }
        int removed = log.truncateTo(pos.position);
        // Recompute the in-memory state from what remains, then drop index entries naming removed batches.
        nextOffset = baseOffset;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = -1;
        firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
        for (FileChannelRecordBatch batch : log.batches()) {
            observeBatch(batch);
        }
        loadFirstBatchTimestamp();
        offsetIndex.truncateToKeysBelow(nextOffset - baseOffset);
        txnIndex.truncateTo(nextOffset);
        timeIndex.truncateToValuesBelow((int) (nextOffset - baseOffset));
        return removed;
    }

    /** Adds the final time-index entry so a closed segment's max timestamp survives a restart. */
    public void onBecomeInactive() throws IOException {
        if (maxTimestampSoFar >= 0 && maxTimestampSoFar > timeIndex.lastKey()) {
            // Room is reserved by rolling when the index is full; an entry that does not fit is only a lost hint.
            timeIndex.maybeAppend(maxTimestampSoFar, (int) (offsetOfMaxTimestampSoFar - baseOffset));
        }
        seal();
    }

    /** Largest timestamp in the segment, or the file's modification time when no batch carries one. */
    public long largestTimestamp() {
        return maxTimestampSoFar >= 0 ? maxTimestampSoFar : log.file().lastModified();
    }

    public long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public long nextOffset() {
        return nextOffset;
    }

    public int sizeInBytes() {
        return log.sizeInBytes();
    }

    public FileRecords records() {
        return log;
    }

    /** The aborted transactions whose ABORT marker lies in this segment. */
    public TransactionIndex txnIndex() {
        return txnIndex;
    }

    public void flush() throws IOException {
        log.flush();
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /** Renames all three files by appending {@code suffix} (e.g. .deleted) while keeping them open for readers. */
    public void addSuffix(String suffix) throws IOException {
        log.renameTo(new File(log.file().getPath() + suffix));
        offsetIndex.renameTo(new File(offsetIndex.file().getPath() + suffix));
        timeIndex.renameTo(new File(timeIndex.file().getPath() + suffix));
        txnIndex.renameTo(new File(txnIndex.file().getPath() + suffix));
    }

    /**
     * Replaces the suffix {@code from} of all three file names by {@code to} (either may be empty). The indexes move
     * first and the log file last: recovery keys on the log file's name and rebuilds indexes it cannot trust.
     */
    public void renameSuffix(String from, String to) throws IOException {
        offsetIndex.renameTo(swapSuffix(offsetIndex.file(), from, to));
        timeIndex.renameTo(swapSuffix(timeIndex.file(), from, to));
        txnIndex.renameTo(swapSuffix(txnIndex.file(), from, to));
        log.renameTo(swapSuffix(log.file(), from, to));
    }

    private static File swapSuffix(File f, String from, String to) {
        String path = f.getPath();
        if (!path.endsWith(from)) {
            throw new IllegalStateException(f + " does not end with '" + from + "'");
        }
        return new File(path.substring(0, path.length() - from.length()) + to);
    }

    /** Timestamp of the first batch, or -1 when the segment is empty or the batch carries none. */
    public long firstBatchTimestamp() {
        return firstBatchTimestamp;
    }

    public void deleteFiles() throws IOException {
        log.deleteIfExists();
        offsetIndex.delete();
        timeIndex.delete();
        txnIndex.delete();
    }

    public void close() throws IOException {
        log.close();
        offsetIndex.close();
        timeIndex.close();
        txnIndex.close();
    }

    @Override
    public String toString() {
        return "LogSegment(base=" + baseOffset + ", size=" + log.sizeInBytes() + ", next=" + nextOffset + ")";
    }
}
