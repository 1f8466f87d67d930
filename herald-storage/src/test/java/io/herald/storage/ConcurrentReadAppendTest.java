package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Lock-free reads racing an appender only ever see whole, contiguous batches below the offset they asked for. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentReadAppendTest {
    @TempDir
    Path tmp;

    @Test
    void readersSeeOnlyWholeContiguousBatchesBelowTheOffsetTheyAskFor() throws Exception {
        LogFixture fx = new LogFixture(tmp);
        PartitionLog log = fx.open(LogConfig.fromProperties(
                Map.of("internal.segment.bytes", "2000", "index.interval.bytes", "64"), LogConfig.DEFAULTS));
        int batches = 1500;
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < batches; i++) {
                    log.append(TestRecords.batch(fx.clock.millis(), "c" + i, 1 + i % 3), 0);
                    log.updateHighWatermark(log.logEndOffset());
                }
            } finally {
                done.set(true);
            }
        });
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            long next = 0;
            while (!done.get() || next < log.highWatermark()) {
                long hw = log.highWatermark();
                FetchDataInfo info = log.read(next, 1000, hw, true);
                for (RecordBatch b : info.records().batches()) {
                    b.ensureValid();
                    assertThat(b.baseOffset()).isEqualTo(next);
                    assertThat(b.lastOffset()).isLessThan(hw);
                    next = b.lastOffset() + 1;
                }
                reads.incrementAndGet();
            }
            return next;
        });
        CompletableFuture.allOf(writer, reader).get(50, TimeUnit.SECONDS);
        // The reader walked every offset the writer produced, batch after batch.
        assertThat(reader.get()).isEqualTo(log.logEndOffset());
        assertThat(reads.get()).isPositive();
        assertThat(log.numberOfSegments()).isGreaterThan(5);
        log.close();
    }
}
