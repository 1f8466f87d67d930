package io.herald.bench.jmh;

import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/** Producer-shaped batches for the benchmarks: magic v2, no producer id, random (incompressible-ish) values. */
final class Batches {
    private Batches() {}

    /** One batch of {@code records} values of {@code recordBytes} bytes, timestamped now, as a producer sends it. */
    static MemoryRecords batch(int records, int recordBytes, String codec, long seed) {
        Random random = new Random(seed);
        byte[] value = new byte[recordBytes];
        ByteBuffer buffer = ByteBuffer.allocate(records * (recordBytes + 64) + 1024);
        CompressionType type = CompressionType.forName(codec);
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                buffer, RecordBatch.MAGIC_VALUE_V2, Compression.of(type).build(), TimestampType.CREATE_TIME, 0L);
        long now = System.currentTimeMillis();
        for (int i = 0; i < records; i++) {
            random.nextBytes(value);
            // Half the bytes random, half repeated: roughly what real payloads give a codec to work with.
            java.util.Arrays.fill(value, recordBytes / 2, recordBytes, (byte) 'x');
            builder.append(now, null, value);
        }
        return builder.build();
    }
}
