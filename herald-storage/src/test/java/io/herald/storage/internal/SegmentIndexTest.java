package io.herald.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Offset and time index files: lookups, sealing, reload and sanity checks. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SegmentIndexTest {
    @TempDir
    Path tmp;

    @Test
    void lookupsAndReloadOfASaneIndex() throws Exception {
        File f = tmp.resolve("0.index").toFile();
        try (SegmentIndex index = SegmentIndex.createEmpty(SegmentIndex.Kind.OFFSET, f, 80)) {
            assertThat(index.maybeAppend(3, 100)).isTrue();
            assertThat(index.maybeAppend(3, 200)).isFalse(); // keys strictly increase
            assertThat(index.maybeAppend(9, 300)).isTrue();
            assertThat(index.floorValue(2, -1)).isEqualTo(-1);
            assertThat(index.floorValue(5, -1)).isEqualTo(100);
            assertThat(index.floorValue(9, -1)).isEqualTo(300);
            assertThat(index.lowerEntry(9)).containsExactly(3, 100);
        }
        try (SegmentIndex reloaded = SegmentIndex.loadIfSane(SegmentIndex.Kind.OFFSET, f, 80, 1000)) {
            assertThat(reloaded).isNotNull();
            assertThat(reloaded.entries()).isEqualTo(2);
            assertThat(reloaded.lastValue()).isEqualTo(300);
        }
        // A position beyond the log file means the index is stale.
        assertThat(SegmentIndex.loadIfSane(SegmentIndex.Kind.OFFSET, f, 80, 250))
                .isNull();
    }

    @Test
    void sealedIndexAnswersFromTheFileAndReopensForAppends() throws Exception {
        File f = tmp.resolve("3.timeindex").toFile();
        try (SegmentIndex index = SegmentIndex.createEmpty(SegmentIndex.Kind.TIME, f, 1200)) {
            for (int i = 0; i < 50; i++) {
                index.maybeAppend(1000L + i * 10, i * 2);
            }
            index.seal();
            assertThat(index.floorValue(1055, -1)).isEqualTo(10);
            assertThat(index.lowerEntry(1000)).isNull();
            assertThat(index.lowerEntry(1491)).containsExactly(1490, 98);
            assertThat(index.lastKey()).isEqualTo(1490);
            assertThat(index.maybeAppend(2000, 100)).isTrue();
            assertThat(index.entries()).isEqualTo(51);
        }
        try (SegmentIndex sealed = SegmentIndex.openSealed(SegmentIndex.Kind.TIME, f, 1200, Integer.MAX_VALUE)) {
            assertThat(sealed.floorValue(1999, -1)).isEqualTo(98);
            assertThat(sealed.floorValue(2000, -1)).isEqualTo(100);
        }
    }

    @Test
    void sealedIndexHoldsNoOpenFileAndLooksUpThroughAMap() throws Exception {
        File f = tmp.resolve("7.index").toFile();
        try (SegmentIndex index = SegmentIndex.createEmpty(SegmentIndex.Kind.OFFSET, f, 8000)) {
            for (int i = 0; i < 500; i++) {
                index.maybeAppend(i * 4L, i * 100);
            }
            assertThat(openDescriptorsOf(f)).isEqualTo(1);
            index.seal();
            assertThat(openDescriptorsOf(f)).isZero();
            assertThat(index.isMapped()).isFalse();
            assertThat(index.floorValue(1001, -1)).isEqualTo(25000);
            assertThat(index.isMapped()).isTrue();
            assertThat(openDescriptorsOf(f)).isZero();
            index.flush(); // the flusher may still sync a just-sealed index
            assertThat(openDescriptorsOf(f)).isZero();
            index.truncateToKeysBelow(1000);
            assertThat(index.isMapped()).isFalse();
            assertThat(index.lastKey()).isEqualTo(996);
            assertThat(index.floorValue(1001, -1)).isEqualTo(24900);
        }
        try (SegmentIndex sealed = SegmentIndex.openSealed(SegmentIndex.Kind.OFFSET, f, 8000, Integer.MAX_VALUE)) {
            assertThat(openDescriptorsOf(f)).isZero();
            assertThat(sealed.entries()).isEqualTo(250);
            assertThat(sealed.floorValue(3, -1)).isEqualTo(0);
        }
    }

    @Test
    void onlyTheMostRecentlyUsedSealedIndexesKeepTheirMaps() throws Exception {
        SealedIndexMaps maps = new SealedIndexMaps(2);
        SegmentIndex[] indexes = new SegmentIndex[3];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = SegmentIndex.createEmpty(
                    SegmentIndex.Kind.OFFSET, tmp.resolve(i + ".index").toFile(), 80);
            indexes[i].maybeAppend(1, 10 * i);
            indexes[i].seal();
            indexes[i].floorValue(1, -1); // maps it (in the process-wide cache)
        }
        maps.used(indexes[0]);
        maps.used(indexes[1]);
        maps.used(indexes[0]); // 1 is now the least recently used
        maps.used(indexes[2]);
        assertThat(maps.mapped()).isEqualTo(2);
        assertThat(indexes[1].isMapped()).isFalse();
        assertThat(indexes[0].isMapped()).isTrue();
        assertThat(indexes[1].floorValue(5, -1)).isEqualTo(10); // maps its file again
        for (SegmentIndex index : indexes) {
            index.close();
        }
    }

    /** How many of this process's file descriptors point at {@code file} (Linux). */
    private static long openDescriptorsOf(File file) throws IOException {
        Path target = file.toPath().toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).equals(target);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    @Test
    void tornOrMissingIndexIsRejected() throws Exception {
        File f = tmp.resolve("1.timeindex").toFile();
        assertThat(SegmentIndex.loadIfSane(SegmentIndex.Kind.TIME, f, 120, Integer.MAX_VALUE))
                .isNull();
        try (SegmentIndex index = SegmentIndex.createEmpty(SegmentIndex.Kind.TIME, f, 120)) {
            index.maybeAppend(1000L, 1);
        }
        Files.write(f.toPath(), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertThat(SegmentIndex.loadIfSane(SegmentIndex.Kind.TIME, f, 120, Integer.MAX_VALUE))
                .isNull();
    }

    @Test
    void fullIndexRefusesEntries() throws Exception {
        try (SegmentIndex index = SegmentIndex.createEmpty(
                SegmentIndex.Kind.OFFSET, tmp.resolve("2.index").toFile(), 16)) {
            assertThat(index.maybeAppend(1, 1)).isTrue();
            assertThat(index.maybeAppend(2, 2)).isTrue();
            assertThat(index.isFull()).isTrue();
            assertThat(index.maybeAppend(3, 3)).isFalse();
        }
    }
}
