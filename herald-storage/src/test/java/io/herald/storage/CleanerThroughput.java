package io.herald.storage;

import io.herald.common.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.record.CompressionType;

/**
 * Measures the cleaner once (not a test): writes {@code args[0]} million updates (default 1) over 10,000 keys in
 * batches of 100 into 8 MiB segments, then times one cleaning pass and reports MB/s of dirty log cleaned and the heap
 * the cleaner holds (its dedupe map plus I/O buffers). Run from the test class path.
 */
final class CleanerThroughput {
    private CleanerThroughput() {}

    public static void main(String[] args) throws Exception {
        int millions = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Path dir = Files.createTempDirectory("herald-cleaner-bench");
        ManualClock clock = new ManualClock(LogFixture.START_MS);
        ManualScheduler scheduler = new ManualScheduler(clock);
        LogConfig cfg = Compacted.compactConfig("internal.segment.bytes", String.valueOf(8 << 20));
        PartitionLog log =
                PartitionLog.open(LogFixture.TP, dir.resolve("orders-0").toFile(), cfg, -1, 0, true, clock, scheduler);
        CompressionType[] codecs = {CompressionType.NONE, CompressionType.LZ4};
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < millions * 1_000_000; i += 100) {
                String[] kv = new String[200];
                for (int j = 0; j < 100; j++) {
                    kv[2 * j] = "key-" + ((i + j) * 7919L % 10_000);
                    kv[2 * j + 1] = "value-" + (i + j) + "-" + "x".repeat(40);
                }
                log.append(Compacted.batch(codecs[(i / 100) % 2], clock.millis(), kv), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            long activeBytes = log.sizeInBytes();
            long base = log.segmentBaseOffsets().getLast();
            activeBytes = log.read(base, Integer.MAX_VALUE, log.logEndOffset(), true)
                    .records()
                    .sizeInBytes();
            long dirty = log.sizeInBytes() - activeBytes;
            long dedupe = 16L << 20;
            LogCleaner cleaner = new LogCleaner(
                    new CleanerConfig(true, 1, dedupe, Double.MAX_VALUE, 15_000),
                    clock,
                    () -> java.util.List.of(log),
                    () -> {},
                    ms -> {});
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            long t0 = System.nanoTime();
            int n = cleaner.cleanUntilIdle();
            double secs = (System.nanoTime() - t0) / 1e9;
            long heapAfter = rt.totalMemory() - rt.freeMemory();
            System.out.printf(
                    "round %d: %d cleanings, %.1f MB dirty -> log %.1f MB in %.2f s = %.1f MB/s; dedupe map %d MiB,"
                            + " heap delta %.1f MB%n",
                    round,
                    n,
                    dirty / 1e6,
                    log.sizeInBytes() / 1e6,
                    secs,
                    dirty / 1e6 / secs,
                    dedupe >> 20,
                    (heapAfter - heapBefore) / 1e6);
        }
        log.close();
        io.herald.storage.internal.LogFiles.deleteRecursively(dir);
    }
}
