package io.herald.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
