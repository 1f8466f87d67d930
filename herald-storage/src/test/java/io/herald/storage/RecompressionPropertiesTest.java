package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Timeout;

/** Whatever the producer's codec and the topic's compression.type, records read back exactly as produced. */
@Timeout(120)
class RecompressionPropertiesTest {
    private static final CompressionType[] CODECS = {
        CompressionType.NONE, CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD
    };
    private static final String[] TOPIC_CODECS = {"producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"};

    record Content(long timestamp, String key, String value, List<String> headers) {}

    @Property(tries = 60)
    void contentSurvivesAnyCodecPair(
            @ForAll @IntRange(min = 0, max = 4) int producerCodec,
            @ForAll @IntRange(min = 0, max = 5) int topicCodec,
            @ForAll @Size(min = 1, max = 20) List<@StringLength(max = 300) @AlphaChars @NumericChars String> values,
            @ForAll @IntRange(min = 0, max = 3_600_000) int ageMs)
            throws IOException {
        Path tmp = Files.createTempDirectory("herald-recompress");
        LogFixture fx = new LogFixture(tmp);
        PartitionLog log = fx.open(
                LogConfig.fromProperties(Map.of("compression.type", TOPIC_CODECS[topicCodec]), LogConfig.DEFAULTS));
        try {
            List<Content> sent = new ArrayList<>();
            SimpleRecord[] records = new SimpleRecord[values.size()];
            for (int i = 0; i < values.size(); i++) {
                String key = i % 3 == 0 ? null : "key" + i;
                List<String> headers = i % 2 == 0 ? List.of() : List.of("h" + i);
                long ts = fx.clock.millis() - ageMs + i;
                sent.add(new Content(ts, key, values.get(i), headers));
                Header[] hs = headers.stream()
                        .map(h -> new RecordHeader(h, h.getBytes()))
                        .toArray(Header[]::new);
                records[i] = new SimpleRecord(
                        ts, key == null ? null : key.getBytes(), values.get(i).getBytes(), hs);
            }
            MemoryRecords in = MemoryRecords.withIdempotentRecords(
                    Compression.of(CODECS[producerCodec]).build(), 42L, (short) 1, 0, records);
            log.append(in, 5);

            FetchDataInfo out = log.read(0, Integer.MAX_VALUE, log.logEndOffset(), true);
            List<Content> received = new ArrayList<>();
            for (RecordBatch batch : out.records().batches()) {
                batch.ensureValid();
                CompressionType expected = TopicCompression.valueOf(TOPIC_CODECS[topicCodec].toUpperCase())
                        .targetCodec()
                        .orElse(CODECS[producerCodec]);
                assertThat(batch.compressionType()).isEqualTo(expected);
                assertThat(batch.producerId()).isEqualTo(42L);
                assertThat(batch.producerEpoch()).isEqualTo((short) 1);
                assertThat(batch.partitionLeaderEpoch()).isEqualTo(5);
                for (Record r : batch) {
                    List<String> headers =
                            Arrays.stream(r.headers()).map(Header::key).toList();
                    received.add(
                            new Content(r.timestamp(), r.hasKey() ? text(r.key()) : null, text(r.value()), headers));
                }
            }
            assertThat(received).isEqualTo(sent);
        } finally {
            log.close();
            io.herald.storage.internal.LogFiles.deleteRecursively(tmp);
        }
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes);
    }
}
