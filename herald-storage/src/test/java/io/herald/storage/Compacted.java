package io.herald.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;

/** Keyed writes and whole-log reads for the compaction tests. */
final class Compacted {
    private Compacted() {}

    /** One record read back: a null value is a tombstone. */
    record Entry(long offset, String key, String value, int headers, long producerId) {}

    static SimpleRecord keyed(long timestamp, String key, String value) {
        return new SimpleRecord(
                timestamp,
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                new RecordHeader[] {new RecordHeader("h", key.getBytes(StandardCharsets.UTF_8))});
    }

    /** A batch of keyed records; {@code keysAndValues} alternates key, value (null value = tombstone). */
    static MemoryRecords batch(CompressionType codec, long timestamp, String... keysAndValues) {
        return MemoryRecords.withRecords(Compression.of(codec).build(), records(timestamp, keysAndValues));
    }

    static MemoryRecords idempotentBatch(
            CompressionType codec, long producerId, int baseSequence, long timestamp, String... keysAndValues) {
        return MemoryRecords.withIdempotentRecords(
                Compression.of(codec).build(), producerId, (short) 0, baseSequence, records(timestamp, keysAndValues));
    }

    private static SimpleRecord[] records(long timestamp, String... keysAndValues) {
        SimpleRecord[] records = new SimpleRecord[keysAndValues.length / 2];
        for (int i = 0; i < records.length; i++) {
            records[i] = keyed(timestamp, keysAndValues[2 * i], keysAndValues[2 * i + 1]);
        }
        return records;
    }

    /** Every record from the log start to the log end, in offset order. */
    static List<Entry> readAll(PartitionLog log) {
        List<Entry> out = new ArrayList<>();
        for (RecordBatch batch : batches(log)) {
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record r : batch) {
                out.add(new Entry(
                        r.offset(),
                        r.hasKey() ? StandardCharsets.UTF_8.decode(r.key()).toString() : null,
                        r.hasValue() ? StandardCharsets.UTF_8.decode(r.value()).toString() : null,
                        r.headers().length,
                        batch.producerId()));
            }
        }
        return out;
    }

    /** Every batch from the log start to the log end, across segments and compaction gaps. */
    static List<RecordBatch> batches(PartitionLog log) {
        List<RecordBatch> out = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            Records records =
                    log.read(offset, 1 << 20, log.logEndOffset(), true).records();
            long next = offset;
            for (RecordBatch batch : records.batches()) {
                out.add(batch);
                next = batch.nextOffset();
            }
            if (next == offset) {
                // A gap left by compaction: the next batch is further on.
                next = nextBatchAfter(log, offset);
            }
            offset = next;
        }
        return out;
    }

    private static long nextBatchAfter(PartitionLog log, long offset) {
        for (long base : log.segmentBaseOffsets()) {
            if (base > offset) {
                return base;
            }
        }
        return log.logEndOffset();
    }

    /** The key → value map a consumer builds by reading {@code entries} in order (tombstones delete). */
    static Map<String, String> fold(List<Entry> entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.value() == null) {
                map.remove(e.key());
            } else {
                map.put(e.key(), e.value());
            }
        }
        return map;
    }

    static LogConfig compactConfig(String... extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("cleanup.policy", "compact");
        props.put("internal.segment.bytes", "4096");
        props.put("index.interval.bytes", "512");
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        return LogConfig.fromProperties(props, LogConfig.DEFAULTS);
    }

    /** A cleaner over the given logs whose throttling never sleeps. */
    static LogCleaner cleaner(io.herald.common.Clock clock, long bufferBytes, PartitionLog... logs) {
        return new LogCleaner(
                new CleanerConfig(true, 1, bufferBytes, Double.MAX_VALUE, 15_000L),
                clock,
                () -> List.of(logs),
                () -> {},
                ms -> {});
    }
}
