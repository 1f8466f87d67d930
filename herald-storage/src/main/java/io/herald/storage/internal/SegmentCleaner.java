package io.herald.storage.internal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.MemoryRecords.RecordFilter.BatchRetention;
import org.apache.kafka.common.record.MemoryRecords.RecordFilter.BatchRetentionResult;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;

/**
 * The I/O of one compaction: builds the {@link OffsetMap} over the dirty section, then copies a group of old segments
 * into one {@code .cleaned} segment keeping, per key, only its latest record. Batches are read in chunks of whole
 * batches (bounded buffers) and filtered with kafka-clients' {@link MemoryRecords#filterTo}, which keeps a batch's
 * bytes when nothing in it goes and otherwise re-encodes the survivors with the batch's codec, producer id, epoch,
 * sequences and timestamps.
 *
 * <p>Rules (Kafka's, with the simplifications documented on {@code LogCleaner}): records of transactional batches are
 * never put in the map (they neither hide older records nor lose their own tombstones), control batches are kept,
 * keyless records in the cleaned range are dropped, a tombstone goes once its batch's delete horizon (set by the first
 * cleaning that kept it, now + delete.retention.ms) has passed, and a producer's last batch stays (emptied) so its
 * sequence survives a rebuild of the producer state.
 */
public final class SegmentCleaner {
    /** First size of the read and write buffers; they grow to the largest batch. */
    static final int IO_BUFFER_BYTES = 256 * 1024;

    private final OffsetMap map;
    private final Throttler throttler;
    private final BooleanSupplier aborted;
    private ByteBuffer readBuffer = ByteBuffer.allocate(IO_BUFFER_BYTES);
    private ByteBuffer writeBuffer = ByteBuffer.allocate(IO_BUFFER_BYTES);
    private final BufferSupplier decompression = BufferSupplier.create();

    /** Thrown when the clean was aborted (shutdown, partition deleted); the caller discards the partial output. */
    public static final class AbortedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortedException() {
            super("cleaning aborted");
        }
    }

    /** What one group's copy kept. */
    public record GroupResult(LogSegment segment, long bytesRead, long bytesWritten, long minHorizonMs) {}

    public SegmentCleaner(OffsetMap map, Throttler throttler, BooleanSupplier aborted) {
        this.map = map;
        this.throttler = throttler;
        this.aborted = aborted;
    }

    /**
     * Maps the keys of {@code segments}' batches from {@code from} (inclusive) to {@code until} (exclusive), stopping
     * early before a batch that would overfill the map. Returns the offset after the last batch mapped: every record
     * below it is represented in the map. The map is cleared first.
     */
    public long buildOffsetMap(List<LogSegment> segments, long from, long until) throws IOException {
        map.clear();
        long mappedEnd = from;
        for (LogSegment segment : segments) {
            if (segment.baseOffset() >= until) {
                break;
            }
            if (segment.nextOffset() <= from) {
                continue;
            }
            FileRecords records = segment.records();
            FileRecords.LogOffsetPosition start = segment.translateOffset(from);
            int position = start == null ? records.sizeInBytes() : start.position;
            for (FileChannelRecordBatch batch : records.batchesFrom(position)) {
                checkAborted();
                if (batch.lastOffset() >= until) {
                    return mappedEnd;
                }
                if (batch.lastOffset() < from) {
                    continue;
                }
                boolean keyed = !batch.isControlBatch() && !batch.isTransactional();
                if (keyed) {
                    Integer count = batch.countOrNull();
                    int needed = count == null ? Integer.MAX_VALUE : count;
                    if (!map.hasRoomFor(needed)) {
                        if (map.size() == 0) {
                            throw new IllegalStateException("a batch of " + needed + " records does not fit the "
                                    + map.maxEntries() + "-entry dedupe buffer (log.cleaner.dedupe.buffer.size)");
                        }
                        return mappedEnd;
                    }
                    for (Record r : batch) {
                        if (r.hasKey() && r.offset() >= from) {
                            map.put(r.key(), r.offset());
                        }
                    }
                }
                throttler.maybeThrottle(batch.sizeInBytes());
                mappedEnd = batch.nextOffset();
            }
            mappedEnd = Math.max(mappedEnd, Math.min(until, segment.nextOffset()));
        }
        return mappedEnd;
    }

    /**
     * Copies {@code group} (consecutive old segments) into a new segment at the first one's base offset, with the
     * {@code .cleaned} suffix, keeping what the map and the rules allow. Only records below {@code mappedEnd} may be
     * removed. The result is flushed and sealed but not yet part of the log.
     */
    public GroupResult cleanGroup(
            File dir,
            List<LogSegment> group,
            long mappedEnd,
            long nowMs,
            long deleteRetentionMs,
            Map<Long, Long> producerLastBatch,
            int indexIntervalBytes,
            int maxIndexBytes)
            throws IOException {
        LogSegment cleaned = LogSegment.create(
                dir, group.get(0).baseOffset(), LogFiles.CLEANED_SUFFIX, indexIntervalBytes, maxIndexBytes, nowMs);
        Filter filter = new Filter(nowMs, deleteRetentionMs, mappedEnd, producerLastBatch);
        long bytesRead = 0;
        long bytesWritten = 0;
        try {
            for (LogSegment segment : group) {
                FileRecords source = segment.records();
                int position = 0;
                int end = source.sizeInBytes();
                while (position < end) {
                    checkAborted();
                    int chunk = readChunk(source, position, end);
                    bytesRead += chunk;
                    position += chunk;
                    MemoryRecords in = MemoryRecords.readableRecords(readBuffer);
                    writeBuffer.clear();
                    MemoryRecords.FilterResult result = in.filterTo(filter, writeBuffer, decompression);
                    writeBuffer = result.outputBuffer();
                    writeBuffer.flip();
                    if (writeBuffer.hasRemaining()) {
                        bytesWritten += writeBuffer.remaining();
                        cleaned.append(MemoryRecords.readableRecords(writeBuffer.slice()));
                    }
                    throttler.maybeThrottle((long) chunk + writeBuffer.remaining());
                    if (writeBuffer.capacity() > readBuffer.capacity() * 2
                            && writeBuffer.capacity() > IO_BUFFER_BYTES) {
                        writeBuffer = ByteBuffer.allocate(Math.max(IO_BUFFER_BYTES, readBuffer.capacity()));
                    }
                }
            }
            cleaned.onBecomeInactive();
            cleaned.flush();
        } catch (IOException | RuntimeException e) {
            cleaned.close();
            cleaned.deleteFiles();
            throw e;
        }
        return new GroupResult(cleaned, bytesRead, bytesWritten, filter.minHorizonMs);
    }

    /**
     * Reads whole batches from {@code position} into the read buffer (flipped), at least one batch, growing the
     * buffer for a batch larger than it. Returns the bytes read.
     */
    private int readChunk(FileRecords source, int position, int end) throws IOException {
        int size = 0;
        for (FileChannelRecordBatch batch : source.batchesFrom(position)) {
            int batchSize = batch.sizeInBytes();
            if (size > 0 && size + batchSize > readBuffer.capacity()) {
                break;
            }
            size += batchSize;
            if (position + size >= end) {
                break;
            }
        }
        if (size == 0) {
            throw new IOException("no whole batch at position " + position + " of " + source.file());
        }
        if (size > readBuffer.capacity()) {
            readBuffer = ByteBuffer.allocate(size);
        }
        readBuffer.clear();
        readBuffer.limit(size);
        source.readInto(readBuffer, position);
        readBuffer.rewind();
        readBuffer.limit(size);
        return size;
    }

    private void checkAborted() {
        if (aborted.getAsBoolean()) {
            throw new AbortedException();
        }
    }

    /** Keeps per key only the mapped (latest) record, with the transaction, tombstone and producer rules. */
    private final class Filter extends RecordFilter {
        private final long mappedEnd;
        private final Map<Long, Long> producerLastBatch;
        long minHorizonMs = Long.MAX_VALUE;

        Filter(long nowMs, long deleteRetentionMs, long mappedEnd, Map<Long, Long> producerLastBatch) {
            super(nowMs, deleteRetentionMs);
            this.mappedEnd = mappedEnd;
            this.producerLastBatch = producerLastBatch;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            boolean keep = batch.isControlBatch()
                    || batch.baseOffset() >= mappedEnd
                    || (batch.hasProducerId()
                            && producerLastBatch.getOrDefault(batch.producerId(), -1L) == batch.lastOffset());
            return new BatchRetentionResult(keep ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY, false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (batch.isControlBatch() || record.offset() >= mappedEnd) {
                return true;
            }
            if (!record.hasKey()) {
                return false;
            }
            long latest = map.get(record.key());
            if (latest > record.offset()) {
                return false;
            }
            if (!record.hasValue() && !batch.isTransactional()) {
                // Safe to drop once expired: the cleaning that mapped this tombstone removed every older record.
                long horizonMs = batch.deleteHorizonMs().orElse(currentTime + deleteRetentionMs);
                if (batch.deleteHorizonMs().isPresent() && currentTime >= horizonMs) {
                    return false;
                }
                minHorizonMs = Math.min(minHorizonMs, horizonMs);
            }
            return true;
        }
    }
}
