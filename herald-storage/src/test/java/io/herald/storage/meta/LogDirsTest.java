package io.herald.storage.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogDirsTest {
    @TempDir
    Path root;

    private final String clusterId = Uuid.randomUuid().toString();

    @Test
    void formatsEveryDirectoryAndPrintsKafkaLines() {
        Path a = root.resolve("a");
        Path b = root.resolve("b/nested");
        var lines = LogDirs.format(List.of(a, b, a), clusterId, 3, null, false);

        assertThat(lines)
                .containsExactly(
                        "Formatting metadata directory " + a + " with metadata.version 4.1-IV1.",
                        "Formatting data directory " + b + " with metadata.version 4.1-IV1.");
        var ma = MetaProperties.read(a).orElseThrow();
        var mb = MetaProperties.read(b).orElseThrow();
        assertThat(ma.clusterId()).isEqualTo(clusterId);
        assertThat(mb.nodeId()).isEqualTo(3);
        assertThat(ma.directoryId()).isNotEqualTo(mb.directoryId());
        assertThat(LogDirs.ensureFormatted(List.of(a, b), 3)).isEqualTo(clusterId);
    }

    @Test
    void dynamicVoterKindAndReleaseVersion() {
        Path a = root.resolve("meta");
        var lines =
                LogDirs.format(List.of(a), a, LogDirs.MetadataDirKind.DYNAMIC_VOTER, clusterId, 1, "4.0-IV3", false);
        assertThat(lines)
                .containsExactly(
                        "Formatting dynamic metadata voter directory " + a + " with metadata.version 4.0-IV3.");
    }

    @Test
    void alreadyFormattedFailsUnlessIgnored() {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        LogDirs.format(List.of(a), clusterId, 1, null, false);

        assertThatThrownBy(() -> LogDirs.format(List.of(a, b), clusterId, 1, null, false))
                .isInstanceOf(MetaPropertiesException.class)
                .hasMessage(
                        "Log directory " + a
                                + " is already formatted. Use --ignore-formatted to ignore this directory and format the others.");
        assertThat(LogDirs.format(List.of(a, b), clusterId, 1, null, true))
                .containsExactly("Formatting data directory " + b + " with metadata.version 4.1-IV1.");
        assertThat(LogDirs.format(List.of(a, b), clusterId, 1, null, true))
                .containsExactly("All of the log directories are already formatted.");
    }

    @Test
    void rejectsBadClusterIds() {
        assertThatThrownBy(() -> LogDirs.format(List.of(root), "not-a-uuid", 1, null, false))
                .hasMessageStartingWith("Cluster ID string not-a-uuid does not appear to be a valid UUID: ");
        assertThatThrownBy(() -> LogDirs.validateClusterId(null)).hasMessage("You must specify the cluster id.");
    }

    @Test
    void ensureFormattedExplainsMissingAndMismatched() throws Exception {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        Files.createDirectories(b);
        LogDirs.format(List.of(a), clusterId, 1, null, false);
        assertThatThrownBy(() -> LogDirs.ensureFormatted(List.of(a, b), 1))
                .hasMessage("No `meta.properties` found in " + b
                        + " (have you run `kafka-storage.sh` to format the directory?)");
        assertThatThrownBy(() -> LogDirs.ensureFormatted(List.of(a), 2))
                .hasMessageStartingWith(
                        "Stored node id 1 in " + a.resolve("meta.properties") + " doesn't match configured node id 2.");

        String other = Uuid.randomUuid().toString();
        LogDirs.format(List.of(b), other, 1, null, false);
        assertThatThrownBy(() -> LogDirs.ensureFormatted(List.of(a, b), 1))
                .hasMessage("Invalid cluster.id in: " + b.resolve("meta.properties") + ". Expected " + clusterId
                        + ", but read " + other);
        assertThatThrownBy(() -> LogDirs.format(List.of(a), other, 1, null, true))
                .hasMessageStartingWith("Invalid cluster.id in: ");
    }
}
