package io.herald.bench.jmh;

import io.herald.common.Clock;
import io.herald.storage.ExecutorScheduler;
import io.herald.storage.FetchDataInfo;
import io.herald.storage.LogConfig;
import io.herald.storage.PartitionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fetch hot path below the network: find the segment and the batch holding a consumer's fetch offset (segment map,
 * sparse offset index, then a short scan of batch headers) and cut a zero-copy slice of up to 1 MiB. Offsets are
 * random across a log of several segments, so index lookups are not served from one hot spot; the active segment
 * alone is measured too, since older (sealed) segments keep their index on disk, not in memory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PartitionLogReadBenchmark {
    private static final int SEGMENT_BYTES = 16 * 1024 * 1024;
    private static final int FETCH_MAX_BYTES = 1024 * 1024;

    @Param({"400"})
    int batches;

    private Path dir;
    private ExecutorScheduler scheduler;
    private PartitionLog log;
    private long logEndOffset;
    private long activeSegmentBase;
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup(Level.Trial)
    public void fillLog() throws IOException {
        dir = Files.createTempDirectory("herald-bench-read-");
        scheduler = new ExecutorScheduler("bench-scheduler");
        LogConfig config = LogConfig.fromProperties(
                java.util.Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES)), LogConfig.DEFAULTS);
        log = PartitionLog.open(
                new TopicPartition("bench", 0),
                dir.resolve("bench-0").toFile(),
                config,
                -1,
                0,
                true,
                Clock.SYSTEM,
                scheduler);
        MemoryRecords batch = Batches.batch(128, 1024, "none", 42);
        for (int i = 0; i < batches; i++) {
            log.append(MemoryRecords.readableRecords(batch.buffer().duplicate()), 0);
        }
        logEndOffset = log.logEndOffset();
        List<Long> bases = log.segmentBaseOffsets();
        activeSegmentBase = bases.get(bases.size() - 1);
        log.updateHighWatermark(logEndOffset);
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        log.close();
        scheduler.close();
        Jmh.deleteRecursively(dir);
    }

    @Benchmark
    public FetchDataInfo readAtRandomOffset() {
        long offset = random.nextLong(logEndOffset);
        return log.read(offset, FETCH_MAX_BYTES, logEndOffset, true);
    }

    /** A random offset in the active segment, whose index is still in memory: the contrast to older segments. */
    @Benchmark
    public FetchDataInfo readInActiveSegment() {
        long offset = activeSegmentBase + random.nextLong(logEndOffset - activeSegmentBase);
        return log.read(offset, FETCH_MAX_BYTES, logEndOffset, true);
    }

    @Benchmark
    public FetchDataInfo readAtLogEnd() {
        return log.read(logEndOffset, FETCH_MAX_BYTES, logEndOffset, true);
    }
}
