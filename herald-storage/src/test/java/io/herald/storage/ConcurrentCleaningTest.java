package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleaner swapping segments while a writer appends and a lock-free reader scans: the reader only ever sees valid
 * batches in increasing offsets whose records carry what was written at those offsets, and the end state folds to the
 * latest value of every key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentCleaningTest {
    @TempDir
    Path tmp;

    @Test
    void readersAndWritersRaceTheCleanerSafely() throws Exception {
        LogFixture fx = new LogFixture(tmp);
        PartitionLog log =
                fx.open(Compacted.compactConfig("internal.segment.bytes", "2500", "min.cleanable.dirty.ratio", "0.1"));
        LogCleaner cleaner = Compacted.cleaner(fx.clock, 1 << 20, log);
        int records = 1_500;
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < records; i++) {
                    log.append(Compacted.batch(CompressionType.LZ4, 1_000 + i, "k" + (i % 25), "v" + i), 0);
                    log.updateHighWatermark(log.logEndOffset());
                }
            } finally {
                done.set(true);
            }
        });
        CompletableFuture<Integer> cleaning = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (!done.get()) {
                n += cleaner.cleanUntilIdle();
            }
            return n + cleaner.cleanUntilIdle();
        });
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            int passes = 0;
            boolean last = false;
            while (!last) {
                last = done.get();
                long next = log.logStartOffset();
                long hw = log.highWatermark();
                while (next < hw) {
                    FetchDataInfo info = log.read(next, 4000, hw, true);
                    long before = next;
                    for (RecordBatch b : info.records().batches()) {
                        b.ensureValid();
                        assertThat(b.baseOffset()).isGreaterThanOrEqualTo(next);
                        for (Record r : b) {
                            String value =
                                    StandardCharsets.UTF_8.decode(r.value()).toString();
                            assertThat(value).isEqualTo("v" + r.offset());
                        }
                        next = b.nextOffset();
                    }
                    if (next == before) {
                        break; // only empty space (a trailing gap) is left below the high watermark
                    }
                }
                passes++;
            }
            return passes;
        });
        CompletableFuture.allOf(writer, cleaning, reader).get(50, TimeUnit.SECONDS);
        assertThat(cleaning.get()).isPositive();
        assertThat(reader.get()).isPositive();
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < records; i++) {
            expected.put("k" + (i % 25), "v" + i);
        }
        assertThat(Compacted.fold(Compacted.readAll(log))).isEqualTo(expected);
        assertThat(log.sizeInBytes()).isLessThan(records * 40L);
        log.close();
    }
}
