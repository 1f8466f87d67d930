package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka-storage.sh version-mapping}, {@code feature-dependencies} and {@code format --feature}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StorageFeaturesTest {
    @TempDir
    Path root;

    private static ToolOutput storage(String... args) {
        return ToolOutput.run(StorageTool::run, args);
    }

    @Test
    void versionMappingOfTheLatestRelease() {
        var r = storage("version-mapping");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .isEqualTo("metadata.version=27 (4.1-IV1)\n"
                        + "kraft.version=1\n"
                        + "transaction.version=2\n"
                        + "group.version=1\n"
                        + "eligible.leader.replicas.version=1\n"
                        + "share.version=0\n"
                        + "streams.version=0\n");
    }

    @Test
    void versionMappingOfOlderReleases() {
        assertThat(storage("version-mapping", "--release-version", "3.3-IV3").out())
                .isEqualTo("metadata.version=7 (3.3-IV3)\nkraft.version=0\ntransaction.version=0\ngroup.version=0\n"
                        + "eligible.leader.replicas.version=0\nshare.version=0\nstreams.version=0\n");
        assertThat(storage("version-mapping", "-r", "4.0").out())
                .startsWith("metadata.version=25 (4.0)\nkraft.version=1\ntransaction.version=2\ngroup.version=1\n"
                        + "eligible.leader.replicas.version=0\n");
        var bad = storage("version-mapping", "--release-version", "2.8");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("Unknown release version '2.8'. Supported versions are: 3.3-IV3 to 4.1-IV1\n");
    }

    @Test
    void featureDependencies() {
        var r = storage(
                "feature-dependencies",
                "--feature",
                "eligible.leader.replicas.version=1",
                "-f",
                "group.version=1",
                "--feature",
                "metadata.version=27",
                "--feature",
                "share.version=1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("eligible.leader.replicas.version=1 requires:\n"
                        + "    metadata.version=24 (4.0-IV2)\n"
                        + "group.version=1 has no dependencies.\n"
                        + "metadata.version=27 (4.1-IV1) has no dependencies.\n"
                        + "share.version=1 requires:\n"
                        + "    metadata.version=27 (4.1-IV1)\n");
        assertThat(storage("feature-dependencies", "--feature", "nope=1").err()).isEqualTo("Unknown feature: nope\n");
        assertThat(storage("feature-dependencies", "--feature", "group.version=7")
                        .err())
                .isEqualTo("Feature level 7 is not supported for feature group.version\n");
        assertThat(storage("feature-dependencies", "--feature", "group.version=x")
                        .err())
                .isEqualTo("Invalid version format: x for feature group.version\n");
        assertThat(storage("feature-dependencies", "--feature", "metadata.version=99")
                        .err())
                .isEqualTo("Unknown metadata.version 99\n");
        assertThat(storage("feature-dependencies").err())
                .isEqualTo("kafka-storage feature-dependencies: error: argument --feature/-f is required\n");
    }

    @Test
    void formatChecksFeatures() throws Exception {
        Path cfg = root.resolve("server.properties");
        Files.writeString(
                cfg,
                "process.roles=broker,controller\nnode.id=1\ncontroller.quorum.voters=1@localhost:9093\nlog.dirs="
                        + root.resolve("data") + "\n");
        String id = Uuid.randomUuid().toString();
        assertThat(storage("format", "-t", id, "-c", cfg.toString(), "--feature", "bogus.version=1")
                        .err())
                .isEqualTo("Unsupported feature: bogus.version. Supported features are: "
                        + "eligible.leader.replicas.version, group.version, kraft.version, share.version, "
                        + "streams.version, transaction.version\n");
        assertThat(storage("format", "-t", id, "-c", cfg.toString(), "--feature", "group.version")
                        .err())
                .isEqualTo("Can't parse feature=level string group.version: equals sign not found.\n");
        assertThat(storage("format", "-t", id, "-c", cfg.toString(), "--feature", "share.version=1")
                        .err())
                .isEqualTo("No feature:share.version with feature level 1\n");
        assertThat(storage(
                                "format",
                                "-t",
                                id,
                                "-c",
                                cfg.toString(),
                                "-r",
                                "4.0",
                                "-f",
                                "eligible.leader" + ".replicas.version=1")
                        .exitCode())
                .isZero();
        assertThat(storage(
                                "format",
                                "-t",
                                id,
                                "-c",
                                cfg.toString(),
                                "-r",
                                "3.9",
                                "-f",
                                "eligible.leader" + ".replicas.version=1",
                                "--ignore-formatted")
                        .err())
                .isEqualTo("eligible.leader.replicas.version could not be set to 1 because it depends on"
                        + " metadata.version level 24\n");
        assertThat(storage("format", "-t", id, "-c", cfg.toString(), "-f", "kraft.version=1", "--ignore-formatted")
                        .err())
                .startsWith("Cannot set kraft.version to 1 unless controller.quorum.voters is empty");
    }
}
