package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.storage.meta.MetaProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StorageToolTest {
    @TempDir
    Path root;

    private final String clusterId = Uuid.randomUuid().toString();

    private Path config(String extra) throws Exception {
        Path file = root.resolve("server.properties");
        Files.writeString(
                file,
                "process.roles=broker,controller\nnode.id=1\n"
                        + "controller.quorum.voters=1@localhost:9093\n"
                        + "log.dirs=" + root.resolve("data1") + "," + root.resolve("data2") + "\n"
                        + extra);
        return file;
    }

    private static ToolOutput storage(String... args) {
        return ToolOutput.run(StorageTool::run, args);
    }

    @Test
    void randomUuidPrintsA22CharClusterId() {
        var r = storage("random-uuid");
        assertThat(r.exitCode()).isZero();
        String id = r.out().trim();
        assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+");
        assertThat(Uuid.fromString(id)).isNotNull();
    }

    @Test
    void formatWritesEveryDirectoryThenRefusesTwice() throws Exception {
        Path cfg = config("");
        var r = storage("format", "-t", clusterId, "-c", cfg.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("Formatting metadata directory " + root.resolve("data1")
                        + " with metadata.version 4.1-IV1.\n"
                        + "Formatting data directory " + root.resolve("data2") + " with metadata.version 4.1-IV1.\n");
        assertThat(MetaProperties.read(root.resolve("data2")).orElseThrow().clusterId())
                .isEqualTo(clusterId);

        var again = storage("format", "--cluster-id", clusterId, "--config", cfg.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err())
                .isEqualTo(
                        "Log directory " + root.resolve("data1")
                                + " is already formatted. Use --ignore-formatted to ignore this directory and format the others.\n");

        var ignored = storage("format", "-t", clusterId, "-c", cfg.toString(), "-g");
        assertThat(ignored.exitCode()).isZero();
        assertThat(ignored.out()).isEqualTo("All of the log directories are already formatted.\n");
    }

    @Test
    void standaloneCombinedNodeUsesSeparateMetadataDir() throws Exception {
        Path cfg = root.resolve("s.properties");
        Files.writeString(
                cfg,
                "process.roles=broker,controller\nnode.id=1\nlog.dirs=" + root.resolve("logs") + "\nmetadata.log.dir="
                        + root.resolve("meta") + "\n");
        var missing = storage("format", "-t", clusterId, "-c", cfg.toString());
        assertThat(missing.err())
                .isEqualTo("Because controller.quorum.voters is not set on this controller, you must specify one of the"
                        + " following: --standalone, --initial-controllers, or --no-initial-controllers.\n");
        var r = storage("format", "-t", clusterId, "-c", cfg.toString(), "--standalone", "-r", "4.0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("Formatting data directory " + root.resolve("logs") + " with metadata.version 4.0-IV3.\n"
                        + "Formatting dynamic metadata voter directory " + root.resolve("meta")
                        + " with metadata.version 4.0-IV3.\n");
    }

    @Test
    void initialControllersFixTheVoterDirectoryId() throws Exception {
        Path cfg = root.resolve("ic.properties");
        Files.writeString(cfg, "process.roles=controller\nnode.id=2\nlog.dirs=" + root.resolve("m") + "\n");
        Uuid dirId = Uuid.randomUuid();
        var r = storage(
                "format",
                "-t",
                clusterId,
                "-c",
                cfg.toString(),
                "--initial-controllers",
                "1@h1:9093:" + Uuid.randomUuid() + ",2@h2:9093:" + dirId);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Formatting dynamic metadata voter directory " + root.resolve("m"));
        assertThat(MetaProperties.read(root.resolve("m")).orElseThrow().directoryId())
                .isEqualTo(dirId);

        Path other = root.resolve("nv.properties");
        Files.writeString(other, "process.roles=controller\nnode.id=3\nlog.dirs=" + root.resolve("n") + "\n");
        var nonVoter = storage("format", "-t", clusterId, "-c", other.toString(), "-I", "1@h1:9093:" + dirId);
        assertThat(nonVoter.out()).startsWith("Formatting dynamic metadata directory " + root.resolve("n"));
        assertThat(storage("format", "-t", clusterId, "-c", other.toString(), "-I", "bogus")
                        .err())
                .isEqualTo("Unable to parse --initial-controllers entry bogus: expected id@host:port:directoryId\n");
        assertThat(storage("format", "-t", clusterId, "-c", other.toString(), "-s", "-N")
                        .err())
                .isEqualTo(
                        "kafka-storage format: error: argument --no-initial-controllers/-N: not allowed with argument"
                                + " --standalone/-s\n");
    }

    @Test
    void badInputIsOneLineAndExitOne() throws Exception {
        Path cfg = config("");
        assertThat(storage("format", "-c", cfg.toString()).err())
                .isEqualTo("kafka-storage format: error: argument --cluster-id/-t is required\n");
        var bad = storage("format", "-t", "nope", "-c", cfg.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err())
                .startsWith("Cluster ID string nope does not appear to be a valid UUID: ")
                .doesNotContain("\tat ");
        assertThat(storage("format", "-t", clusterId, "-c", root.resolve("none").toString())
                        .err())
                .isEqualTo("Unable to read the properties file " + root.resolve("none") + ": no such file\n");
        Path noNode = root.resolve("nonode.properties");
        Files.writeString(noNode, "process.roles=broker\nlog.dirs=/tmp/x\n");
        assertThat(storage("format", "-t", clusterId, "-c", noNode.toString()).err())
                .isEqualTo("Missing required configuration \"node.id\" which has no default value.\n");
        assertThat(storage("format", "-t", clusterId, "-c", cfg.toString(), "-r", "9.9")
                        .err())
                .isEqualTo("Unknown release version '9.9'. Supported versions are: 3.3-IV3 to 4.1-IV1\n");
        assertThat(storage("format", "-t", clusterId, "-c", cfg.toString(), "--standalone")
                        .err())
                .startsWith("You cannot specify controller.quorum.voters and format the node with"
                        + " --initial-controllers or --standalone.");
        assertThat(storage("bogus").exitCode()).isEqualTo(1);
        assertThat(storage().err()).isEqualTo("kafka-storage: error: too few arguments\n");
        assertThat(storage("--help").exitCode()).isZero();
    }

    @Test
    void infoReportsFoundMetadataAndProblems() throws Exception {
        Path cfg = config("");
        Files.createDirectories(root.resolve("data1"));
        var unformatted = storage("info", "-c", cfg.toString());
        assertThat(unformatted.exitCode()).isEqualTo(1);
        assertThat(unformatted.out())
                .isEqualTo("Found log directory:\n  " + root.resolve("data1") + "\n\nFound problems:\n  "
                        + root.resolve("data1") + " is not formatted.\n  " + root.resolve("data2")
                        + " does not exist\n\n");

        storage("format", "-t", clusterId, "-c", cfg.toString());
        var ok = storage("info", "-c", cfg.toString());
        assertThat(ok.exitCode()).isZero();
        var meta = MetaProperties.read(root.resolve("data1")).orElseThrow();
        assertThat(ok.out())
                .isEqualTo("Found log directories:\n  " + root.resolve("data1") + "\n  " + root.resolve("data2")
                        + "\n\nFound metadata: {cluster.id=" + clusterId + ", directory.id=" + meta.directoryId()
                        + ", node.id=1, version=1}\n\n");
    }
}
