package io.herald.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;

/** Builds client-style batches (relative offsets from 0) and decodes what the log returns, for tests. */
final class TestRecords {
    private TestRecords() {}

    static SimpleRecord record(long timestamp, String key, String value) {
        return new SimpleRecord(
                timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                new RecordHeader[] {new RecordHeader("h", "v".getBytes(StandardCharsets.UTF_8))});
    }

    /** A batch of {@code count} records with values "prefix-i" and the given timestamp. */
    static MemoryRecords batch(CompressionType codec, long timestamp, String prefix, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = record(timestamp, "k" + i, prefix + "-" + i);
        }
        return MemoryRecords.withRecords(Compression.of(codec).build(), records);
    }

    static MemoryRecords batch(long timestamp, String prefix, int count) {
        return batch(CompressionType.NONE, timestamp, prefix, count);
    }

    static MemoryRecords idempotent(long producerId, short epoch, int baseSequence, long timestamp, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = record(timestamp, null, "p" + producerId + "-s" + (baseSequence + i));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, baseSequence, records);
    }

    /** A batch whose records carry the given timestamps in order. */
    static MemoryRecords withTimestamps(long... timestamps) {
        MemoryRecordsBuilder b =
                MemoryRecords.builder(ByteBuffer.allocate(1024), Compression.NONE, TimestampType.CREATE_TIME, 0L);
        for (long ts : timestamps) {
            b.append(ts, null, ("t" + ts).getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** Values of all records in {@code records}, in order. */
    static List<String> values(Records records) {
        List<String> out = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            for (Record r : batch) {
                out.add(StandardCharsets.UTF_8.decode(r.value()).toString());
            }
        }
        return out;
    }

    /** Offsets of all records in {@code records}, in order. */
    static List<Long> offsets(Records records) {
        List<Long> out = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            for (Record r : batch) {
                out.add(r.offset());
            }
        }
        return out;
    }

    /** A copy of the records' bytes, so later in-place patches of the original buffer cannot leak into a test. */
    static MemoryRecords copy(MemoryRecords records) {
        ByteBuffer dup = records.buffer().duplicate();
        ByteBuffer copy = ByteBuffer.allocate(dup.remaining());
        copy.put(dup).flip();
        return MemoryRecords.readableRecords(copy);
    }
}
