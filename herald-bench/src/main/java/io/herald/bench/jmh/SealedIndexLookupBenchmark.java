package io.herald.bench.jmh;

import io.herald.storage.internal.SegmentIndex;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * One offset-index lookup in a sealed segment, the first step of every fetch of old data: the index of a full 1 GiB
 * segment at the default 4 KiB index interval has 262,144 entries, so a binary search takes 18 steps. The active
 * segment's index (in memory) is the contrast.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SealedIndexLookupBenchmark {
    @Param({"262144"})
    int entries;

    private Path dir;
    private SegmentIndex sealed;
    private SegmentIndex active;
    private final SplittableRandom random = new SplittableRandom(11);

    @Setup(Level.Trial)
    public void writeIndexes() throws IOException {
        dir = Files.createTempDirectory("herald-bench-index-");
        sealed = fill(dir.resolve("0.index").toFile());
        sealed.seal();
        active = fill(dir.resolve("1.index").toFile());
    }

    private SegmentIndex fill(File file) throws IOException {
        SegmentIndex index = SegmentIndex.createEmpty(SegmentIndex.Kind.OFFSET, file, entries * 8);
        for (int i = 0; i < entries; i++) {
            index.maybeAppend(i * 4L, i * 4096);
        }
        return index;
    }

    @TearDown(Level.Trial)
    public void deleteIndexes() throws IOException {
        sealed.close();
        active.close();
        Jmh.deleteRecursively(dir);
    }

    @Benchmark
    public int lookupInSealedIndex() {
        return sealed.floorValue(random.nextLong(entries * 4L), -1);
    }

    @Benchmark
    public int lookupInActiveIndex() {
        return active.floorValue(random.nextLong(entries * 4L), -1);
    }
}
