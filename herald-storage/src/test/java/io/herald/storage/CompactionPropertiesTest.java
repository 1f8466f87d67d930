package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.record.CompressionType;
import org.junit.jupiter.api.Timeout;

/**
 * Random keyed writes (tombstones, codecs, small segments so they roll), cleanings, clock jumps, truncations (above
 * the high watermark, as replication does) and reopens: the compacted log read from its start folds to the same key → value map as everything written, every
 * survivor sits at the offset it was written at, and once delete.retention.ms has passed after a cleaning no
 * tombstone is left below the active segment.
 */
@Timeout(120)
class CompactionPropertiesTest {
    private static final CompressionType[] CODECS = {
        CompressionType.NONE, CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD
    };
    private static final long DELETE_RETENTION_MS = 1_000;
    private static final LogConfig CONFIG = Compacted.compactConfig(
            "internal.segment.bytes", "700",
            "index.interval.bytes", "100",
            "min.cleanable.dirty.ratio", "0.0",
            "delete.retention.ms", String.valueOf(DELETE_RETENTION_MS));

    record Action(int kind, int param, int codec) {}

    @Provide
    Arbitrary<Action> actions() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 13),
                        Arbitraries.integers().between(0, 9_999),
                        Arbitraries.integers().between(0, CODECS.length - 1))
                .as(Action::new);
    }

    @Property(tries = 80)
    void compactedLogFoldsToTheSameMapAsEverythingWritten(
            @ForAll @Size(max = 60) List<@net.jqwik.api.From("actions") Action> script) throws IOException {
        Path tmp = Files.createTempDirectory("herald-compaction");
        LogFixture fx = new LogFixture(tmp);
        TreeMap<Long, String[]> written = new TreeMap<>(); // offset -> key, value (null = tombstone)
        PartitionLog log = fx.open(CONFIG);
        LogCleaner cleaner = Compacted.cleaner(fx.clock, 64 * 1024, log);
        int n = 0;
        try {
            for (Action a : script) {
                switch (a.kind()) {
                    case 0, 1, 2, 3, 4, 5, 6 -> {
                        int count = 1 + a.param() % 5;
                        String[] kv = new String[2 * count];
                        for (int i = 0; i < count; i++) {
                            int key = (a.param() / 5 + i * 7) % 12;
                            kv[2 * i] = "k" + key;
                            kv[2 * i + 1] = (a.param() + i) % 5 == 0 ? null : "v" + n++ + "x".repeat(a.param() % 40);
                        }
                        LogAppendInfo info = log.append(Compacted.batch(CODECS[a.codec()], fx.clock.millis(), kv), 0);
                        for (int i = 0; i < count; i++) {
                            written.put(info.firstOffset() + i, new String[] {kv[2 * i], kv[2 * i + 1]});
                        }
                    }
                    case 7, 8 -> {
                        log.updateHighWatermark(log.logEndOffset());
                        cleaner.cleanUntilIdle();
                    }
                    case 9 -> fx.clock.advanceMs(a.param() % (2 * DELETE_RETENTION_MS));
                    case 10 -> {
                        // Replication truncates only above the high watermark, which the cleaner never passes:
                        // below it, a cleaned log cannot un-write the newer records that superseded older ones.
                        long floor = log.highWatermark();
                        long target = floor + a.param() % (log.logEndOffset() - floor + 1);
                        log.truncateTo(target);
                        // Truncation removes whole batches: everything from the new log end on is gone.
                        written.tailMap(log.logEndOffset(), true).clear();
                    }
                    case 11 -> {
                        long hw = log.highWatermark();
                        log.close();
                        log = fx.reopen(CONFIG, log.logStartOffset(), log.recoveryPoint(), true);
                        log.updateHighWatermark(hw); // as LogManager restores it from its checkpoint
                        cleaner = Compacted.cleaner(fx.clock, 64 * 1024, log);
                    }
                    default -> fx.clock.advanceMs(1);
                }
                checkEquivalent(log, written);
            }
            log.updateHighWatermark(log.logEndOffset());
            cleaner.cleanUntilIdle();
            checkEquivalent(log, written);
            long activeBase = log.segmentBaseOffsets().getLast();
            fx.clock.advanceMs(DELETE_RETENTION_MS + 1);
            cleaner.cleanUntilIdle();
            List<Compacted.Entry> end = checkEquivalent(log, written);
            assertThat(end).noneMatch(e -> e.value() == null && e.offset() < activeBase);
            List<String> keysBelowActive = new ArrayList<>();
            end.stream().filter(e -> e.offset() < activeBase).forEach(e -> keysBelowActive.add(e.key()));
            assertThat(keysBelowActive).doesNotHaveDuplicates();
        } finally {
            log.close();
            io.herald.storage.internal.LogFiles.deleteRecursively(tmp);
        }
    }

    private static List<Compacted.Entry> checkEquivalent(PartitionLog log, TreeMap<Long, String[]> written) {
        List<Compacted.Entry> read = Compacted.readAll(log);
        List<Compacted.Entry> all = new ArrayList<>();
        for (Map.Entry<Long, String[]> w : written.entrySet()) {
            all.add(new Compacted.Entry(w.getKey(), w.getValue()[0], w.getValue()[1], 1, -1L));
        }
        assertThat(Compacted.fold(read)).isEqualTo(Compacted.fold(all));
        for (Compacted.Entry e : read) {
            assertThat(written.get(e.offset())).containsExactly(e.key(), e.value());
        }
        return read;
    }
}
