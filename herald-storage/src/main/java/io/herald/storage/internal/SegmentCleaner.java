package io.herald.storage.internal;

import io.herald.storage.AbortedTxn;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
    public long buildOffsetMap(List<LogSegment> segments, long from, long until, List<AbortedTxn> aborted)
            throws IOException {
        map.clear();
        CleanedTransactions txns = new CleanedTransactions(aborted);
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
                // Records of aborted transactions neither hide older records nor survive; committed ones count.
                boolean keyed;
                if (batch.isControlBatch()) {
                    txns.onMarker(batch);
                    keyed = false;
                } else {
                    keyed = !txns.isAbortedData(batch);
                }
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
            List<AbortedTxn> aborted,
            int indexIntervalBytes,
            int maxIndexBytes)
            throws IOException {
        LogSegment cleaned = LogSegment.create(
                dir, group.get(0).baseOffset(), LogFiles.CLEANED_SUFFIX, indexIntervalBytes, maxIndexBytes, nowMs);
        Filter filter =
                new Filter(nowMs, deleteRetentionMs, mappedEnd, producerLastBatch, new CleanedTransactions(aborted));
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
            for (AbortedTxn txn : filter.retainedAborts) {
                cleaned.txnIndex().append(txn);
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
        private final CleanedTransactions txns;
        final List<AbortedTxn> retainedAborts = new ArrayList<>();
        long minHorizonMs = Long.MAX_VALUE;
        private boolean discardRecords; // of the current batch

        Filter(
                long nowMs,
                long deleteRetentionMs,
                long mappedEnd,
                Map<Long, Long> producerLastBatch,
                CleanedTransactions txns) {
            super(nowMs, deleteRetentionMs);
            this.mappedEnd = mappedEnd;
            this.producerLastBatch = producerLastBatch;
            this.txns = txns;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            boolean beyondMap = batch.baseOffset() >= mappedEnd;
            boolean lastOfProducer = batch.hasProducerId()
                    && !batch.isControlBatch()
                    && producerLastBatch.getOrDefault(batch.producerId(), -1L) == batch.lastOffset();
            if (batch.isControlBatch()) {
                CleanedTransactions.Marker marker = txns.onMarker(batch);
                boolean expired = batch.deleteHorizonMs().isPresent()
                        && batch.deleteHorizonMs().getAsLong() <= currentTime;
                discardRecords = !beyondMap && marker.canDiscard() && expired;
                if (!discardRecords) {
                    if (marker.abortEntry() != null) {
                        retainedAborts.add(marker.abortEntry());
                    }
                    if (marker.canDiscard() && !beyondMap) {
                        minHorizonMs =
                                Math.min(minHorizonMs, batch.deleteHorizonMs().orElse(currentTime + deleteRetentionMs));
                    }
                }
                // A marker no longer needed gets its delete horizon on this rewrite; a later cleaning removes it.
                return new BatchRetentionResult(
                        discardRecords ? BatchRetention.DELETE : BatchRetention.RETAIN_EMPTY,
                        marker.canDiscard() && !beyondMap);
            }
            boolean aborted = txns.isAbortedData(batch);
            discardRecords = aborted && !beyondMap;
            boolean keep = beyondMap || lastOfProducer;
            return new BatchRetentionResult(keep ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY, false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (discardRecords) {
                return false;
            }
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
