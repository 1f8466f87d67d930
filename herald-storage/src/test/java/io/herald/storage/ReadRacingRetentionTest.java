package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read at the log start racing retention either returns the batch holding the offset it asked for or answers
 * OFFSET_OUT_OF_RANGE; it never silently skips to a later segment.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadRacingRetentionTest {
    @TempDir
    Path tmp;

    @Test
    void aReadRacingRetentionNeverSkipsToALaterSegment() throws Exception {
        LogFixture fx = new LogFixture(tmp);
        PartitionLog log = fx.open(LogConfig.fromProperties(
                Map.of(
                        "internal.segment.bytes", "300",
                        "retention.bytes", "1500",
                        "index.interval.bytes", "1",
                        "file.delete.delay.ms", "600000"),
                LogConfig.DEFAULTS));
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong outOfRange = new AtomicLong();
        AtomicLong served = new AtomicLong();
        // Own threads: the common pool may have a single thread on a small machine.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(
                () -> {
                    try {
                        for (int i = 0; i < 500; i++) {
                            log.append(TestRecords.batch(fx.clock.millis(), "r" + i, 1), 0);
                            log.updateHighWatermark(log.logEndOffset());
                            log.deleteOldSegments();
                        }
                    } finally {
                        done.set(true);
                    }
                },
                threads);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(
                () -> {
                    while (!done.get()) {
                        long start = log.logStartOffset();
                        try {
                            FetchDataInfo info = log.read(start, 1000, log.highWatermark(), true);
                            for (RecordBatch b : info.records().batches()) {
                                assertThat(b.baseOffset())
                                        .as("first batch returned for a read at %d", start)
                                        .isLessThanOrEqualTo(start);
                                assertThat(b.lastOffset()).isGreaterThanOrEqualTo(start);
                                served.incrementAndGet();
                                break;
                            }
                        } catch (OffsetOutOfRangeException e) {
                            outOfRange.incrementAndGet();
                        }
                    }
                },
                threads);
        try {
            CompletableFuture.allOf(writer, reader).get(50, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertThat(served.get())
                .as("reads served (%d out of range)", outOfRange.get())
                .isPositive();
        log.close();
    }
}
