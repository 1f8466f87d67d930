package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** compression.gzip.level / compression.lz4.level / compression.zstd.level change what a recompressing append stores. */
class CompressionLevelsTest {
    @TempDir
    Path tmp;

    private static MemoryRecords text() {
        Random random = new Random(42);
        String[] words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"};
        SimpleRecord[] records = new SimpleRecord[200];
        for (int i = 0; i < records.length; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 60; w++) {
                sb.append(words[random.nextInt(words.length)])
                        .append(random.nextInt(1000))
                        .append(' ');
            }
            records[i] = new SimpleRecord(LogFixture.START_MS, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    private long storedBytes(String codec, String levelKey, String level) {
        LogFixture fx = new LogFixture(tmp.resolve(codec + "-" + level));
        PartitionLog log = fx.open(
                LogConfig.fromProperties(Map.of("compression.type", codec, levelKey, level), LogConfig.DEFAULTS));
        log.append(text(), 0);
        long size = log.sizeInBytes();
        log.close();
        return size;
    }

    @ParameterizedTest
    @CsvSource({
        "gzip, compression.gzip.level, 1, 9",
        "lz4, compression.lz4.level, 1, 17",
        "zstd, compression.zstd.level, 1, 19"
    })
    void aHigherLevelStoresFewerBytes(String codec, String levelKey, String low, String high) {
        long fast = storedBytes(codec, levelKey, low);
        long small = storedBytes(codec, levelKey, high);
        assertThat(small).as("%s at level %s vs %s", codec, high, low).isLessThan(fast);
    }
}
