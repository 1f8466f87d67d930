package io.herald.storage.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetaPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void writesKafkaLayoutAndReadsBack() throws Exception {
        Uuid dirId = Uuid.randomUuid();
        var meta = new MetaProperties("MkU3OEVBNTcwNTJENDM2Qk", 1, dirId);
        meta.write(dir);

        var lines = Files.readAllLines(dir.resolve("meta.properties"));
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("#");
        assertThat(lines.get(1)).startsWith("#");
        assertThat(lines.subList(2, 6))
                .containsExactly(
                        "cluster.id=MkU3OEVBNTcwNTJENDM2Qk", "directory.id=" + dirId, "node.id=1", "version=1");
        assertThat(Files.exists(dir.resolve("meta.properties.tmp"))).isFalse();
        assertThat(MetaProperties.read(dir)).contains(meta);
    }

    @Test
    void missingFileIsEmpty() {
        assertThat(MetaProperties.read(dir)).isEmpty();
    }

    @Test
    void corruptFilesGiveOneLineErrors() throws Exception {
        Path file = dir.resolve("meta.properties");
        Files.writeString(file, "cluster.id=abc\nnode.id=1\n");
        assertThatThrownBy(() -> MetaProperties.read(dir))
                .isInstanceOf(MetaPropertiesException.class)
                .hasMessage("Error loading " + file + ": no version found");

        Files.writeString(file, "version=0\nbroker.id=1\ncluster.id=abc\n");
        assertThatThrownBy(() -> MetaProperties.read(dir)).hasMessageContaining("unsupported version 0");

        Files.writeString(file, "version=1\ncluster.id=abc\nnode.id=x\n");
        assertThatThrownBy(() -> MetaProperties.read(dir)).hasMessage("Error loading " + file + ": invalid node.id x");

        Files.writeString(file, "version=1\nnode.id=2\n");
        assertThatThrownBy(() -> MetaProperties.read(dir)).hasMessageEndingWith("no cluster.id found");

        Files.writeString(file, "version=1\ncluster.id=abc\nnode.id=2\ndirectory.id=zz\n");
        assertThatThrownBy(() -> MetaProperties.read(dir)).hasMessageEndingWith("invalid directory.id zz");
    }
}
