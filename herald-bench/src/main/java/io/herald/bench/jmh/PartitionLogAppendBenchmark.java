package io.herald.bench.jmh;

import io.herald.common.Clock;
import io.herald.storage.ExecutorScheduler;
import io.herald.storage.LogAppendInfo;
import io.herald.storage.LogConfig;
import io.herald.storage.PartitionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The produce hot path below the network: validate a producer's ~128 KiB batch (CRC, sizes, timestamps; a compressed
 * batch is decompressed to check its records), assign offsets and write it to the active segment and its indexes.
 * Writes go to the page cache (no fsync), as with Kafka's default flush settings. The log is recreated every iteration so
 * the disk does not fill.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PartitionLogAppendBenchmark {
    @Param({"1024"})
    int recordBytes;

    @Param({"128"})
    int recordsPerBatch;

    @Param({"none", "lz4"})
    String codec;

    private MemoryRecords template;
    private Path dir;
    private ExecutorScheduler scheduler;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void makeBatch() {
        template = Batches.batch(recordsPerBatch, recordBytes, codec, 42);
        scheduler = new ExecutorScheduler("bench-scheduler");
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        dir = Files.createTempDirectory("herald-bench-append-");
        log = PartitionLog.open(
                new TopicPartition("bench", 0),
                dir.resolve("bench-0").toFile(),
                LogConfig.DEFAULTS,
                -1,
                0,
                true,
                Clock.SYSTEM,
                scheduler);
    }

    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException {
        log.close();
        Jmh.deleteRecursively(dir);
    }

    @TearDown(Level.Trial)
    public void stopScheduler() {
        scheduler.close();
    }

    /** One Produce partition's worth: a fresh view of the same bytes each time (append patches the header). */
    @Benchmark
    public LogAppendInfo appendBatch() {
        return log.append(MemoryRecords.readableRecords(template.buffer().duplicate()), 0);
    }
}
