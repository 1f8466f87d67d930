package io.herald.storage;

import static io.herald.storage.Compacted.compactConfig;
import static io.herald.storage.Compacted.fold;
import static io.herald.storage.Compacted.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.ManualClock;
import java.io.File;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.CompressionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A crash at each step of a cleaning (the cleaner is stopped there, file handles dropped, no clean-shutdown marker):
 * reopening loses nothing, leaves no .cleaned or .swap files, and the next cleaning completes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogCleanerCrashTest {
    static final TopicPartition TP = new TopicPartition("table", 0);
    static final Uuid TOPIC_ID = Uuid.randomUuid();
    static final LogConfig CONFIG =
            compactConfig("internal.segment.bytes", "3000", "min.cleanable.dirty.ratio", "0.01");

    /** Thrown by the fault hook: an Error, so the cleaner's own error handling (cleanup) does not run. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;
    }

    @TempDir
    Path tmp;

    final ManualClock clock = new ManualClock(LogFixture.START_MS);
    final ManualScheduler scheduler = new ManualScheduler(clock);

    private LogManager start() {
        LogManagerConfig cfg = new LogManagerConfig(List.of(tmp.toFile()), 1, 300_000, 1000, 60_000, 86_400_000, CONFIG)
                .withCleaner(new CleanerConfig(true, 1, 1 << 20, Double.MAX_VALUE, 15_000));
        LogManager m = new LogManager(cfg, clock, scheduler, topic -> CONFIG, scheduler);
        m.startup();
        return m;
    }

    private static void write(PartitionLog log, int updates, int keys) {
        CompressionType[] codecs = {CompressionType.NONE, CompressionType.LZ4, CompressionType.GZIP};
        for (int i = 0; i < updates; i += 3) {
            String[] kv = new String[6];
            for (int j = 0; j < 3; j++) {
                int n = i + j;
                kv[2 * j] = "key-" + (n * 31 % keys);
                kv[2 * j + 1] = n % 11 == 5 ? null : "v" + n;
            }
            log.append(Compacted.batch(codecs[i % codecs.length], LogFixture.START_MS + i, kv), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    private static Set<String> leftovers(File dir) {
        Set<String> names = new HashSet<>();
        for (String n : dir.list()) {
            if (n.endsWith(".cleaned") || n.endsWith(".swap")) {
                names.add(n);
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"cleaned-written", "swap-renamed", "old-deleted", "swapped", "swapped#2", "cleaned-written#3"})
    void crashAtEachStepLosesNothingAndCleaningResumes(String point) {
        String step = point.contains("#") ? point.substring(0, point.indexOf('#')) : point;
        int occurrence = point.contains("#") ? Integer.parseInt(point.substring(point.indexOf('#') + 1)) : 1;
        LogManager m = start();
        PartitionLog log = m.getOrCreateLog(TP, TOPIC_ID, CONFIG);
        write(log, 600, 40);
        List<Compacted.Entry> written = readAll(log);
        Map<String, String> expected = fold(written);
        long end = log.logEndOffset();
        AtomicInteger seen = new AtomicInteger();
        m.cleaner().setFaults(s -> {
            if (s.equals(step) && seen.incrementAndGet() == occurrence) {
                throw new SimulatedCrash();
            }
        });
        assertThatThrownBy(() -> m.cleaner().cleanUntilIdle()).isInstanceOf(SimulatedCrash.class);
        m.simulateCrash();
        Set<String> left = leftovers(log.dir());
        switch (step) {
            case "cleaned-written" -> assertThat(left).anyMatch(n -> n.endsWith(".log.cleaned"));
            case "swap-renamed", "old-deleted" -> assertThat(left).anyMatch(n -> n.endsWith(".log.swap"));
            default -> assertThat(left).isEmpty();
        }

        LogManager reopened = start();
        PartitionLog recovered = reopened.getLog(TP).orElseThrow();
        assertThat(leftovers(recovered.dir())).isEmpty();
        assertThat(recovered.logEndOffset()).isEqualTo(end);
        List<Compacted.Entry> read = readAll(recovered);
        assertThat(written).containsAll(read);
        assertThat(fold(read)).isEqualTo(expected);

        recovered.updateHighWatermark(recovered.logEndOffset());
        assertThat(reopened.cleaner().cleanUntilIdle()).isPositive();
        List<Compacted.Entry> cleaned = readAll(recovered);
        assertThat(fold(cleaned)).isEqualTo(expected);
        assertThat(cleaned.size()).isLessThan(read.size());
        long checkpoint = recovered.cleanerCheckpoint();
        assertThat(checkpoint).isEqualTo(recovered.segmentBaseOffsets().getLast());
        reopened.shutdown();

        LogManager third = start();
        PartitionLog again = third.getLog(TP).orElseThrow();
        assertThat(again.cleanerCheckpoint()).isEqualTo(checkpoint);
        assertThat(fold(readAll(again))).isEqualTo(expected);
        third.shutdown();
    }

    @Test
    void deletingAPartitionAndShutdownAreSafeWithACleanerConfigured() {
        LogManager m = start();
        PartitionLog log = m.getOrCreateLog(TP, TOPIC_ID, CONFIG);
        write(log, 300, 10);
        clock.advanceMs(15_000);
        scheduler.runDue(); // the cleaner's periodic worker runs here
        assertThat(log.cleanerCheckpoint()).isPositive();
        assertThat(m.deleteLog(TP)).isTrue();
        m.shutdown();
    }
}
