package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.SupportedVersionRange;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FeatureAndQuorumTest {
    @Test
    void describeFeatureLines() {
        var lines = FeatureCommand.describe(
                Map.of(
                        "metadata.version", new SupportedVersionRange((short) 7, (short) 27),
                        "kraft.version", new SupportedVersionRange((short) 0, (short) 1)),
                Map.of("metadata.version", new FinalizedVersionRange((short) 27, (short) 27)),
                Optional.of(5L));
        assertThat(lines)
                .containsExactly(
                        "Feature: kraft.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\t"
                                + "FinalizedVersionLevel: 0\tEpoch: 5",
                        "Feature: metadata.version\tSupportedMinVersion: 3.3-IV3\tSupportedMaxVersion: 4.1-IV1\t"
                                + "FinalizedVersionLevel: 4.1-IV1\tEpoch: 5");
    }

    @Test
    void featureUpgradeThroughMock() {
        var admin = MockAdminClient.create()
                .numBrokers(1)
                .featureLevels(Map.of("metadata.version", (short) 25))
                .minSupportedFeatureLevels(Map.of("metadata.version", (short) 7))
                .maxSupportedFeatureLevels(Map.of("metadata.version", (short) 27))
                .build();
        var r = ToolOutput.run(
                (a, o, e) -> FeatureCommand.run(a, o, e, p -> admin),
                "--bootstrap-server",
                "h",
                "upgrade",
                "--metadata",
                "4.1-IV1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo(" `metadata` flag is deprecated and may be removed in a future release.\n"
                        + "metadata.version was upgraded to 27.\n");
        var d = ToolOutput.run(
                (a, o, e) -> FeatureCommand.run(a, o, e, p -> admin), "--bootstrap-server", "h", "describe");
        assertThat(d.out())
                .startsWith("Feature: metadata.version\tSupportedMinVersion: 3.3-IV3\t"
                        + "SupportedMaxVersion: 4.1-IV1\tFinalizedVersionLevel: 4.1-IV1\tEpoch: ");
        var bad = ToolOutput.run(
                (a, o, e) -> FeatureCommand.run(a, o, e, p -> admin),
                "--bootstrap-server",
                "h",
                "upgrade",
                "--metadata",
                "9.9");
        assertThat(bad.err()).startsWith("Unsupported metadata version 9.9. Supported metadata versions are 3.3-IV3,");
        assertThat(ToolOutput.run((a, o, e) -> FeatureCommand.run(a, o, e, p -> admin), "describe")
                        .err())
                .isEqualTo("kafka-features: error: one of the arguments --bootstrap-server --bootstrap-controller is"
                        + " required\n");
    }

    @Test
    void quorumStatusAndReplication() {
        Uuid d1 = Uuid.randomUuid();
        Uuid d2 = Uuid.randomUuid();
        var quorum = new MetadataQuorumCommand.Quorum(
                1,
                3,
                120,
                List.of(
                        new MetadataQuorumCommand.Replica(1, d1, 120, OptionalLong.of(1000), OptionalLong.of(1000)),
                        new MetadataQuorumCommand.Replica(2, d2, 100, OptionalLong.of(990), OptionalLong.of(900))),
                List.of(new MetadataQuorumCommand.Replica(
                        3, Uuid.ZERO_UUID, 120, OptionalLong.empty(), OptionalLong.empty())),
                Map.of(1, List.of("CONTROLLER://c1:9093")));
        assertThat(MetadataQuorumCommand.status("abc", quorum))
                .isEqualTo("ClusterId:              abc\nLeaderId:               1\nLeaderEpoch:            3\n"
                        + "HighWatermark:          120\nMaxFollowerLag:         20\nMaxFollowerLagTimeMs:   100\n"
                        + "CurrentVoters:          [{\"id\": 1, \"directoryId\": \"" + d1 + "\", \"endpoints\": "
                        + "[\"CONTROLLER://c1:9093\"]}, {\"id\": 2, \"directoryId\": \"" + d2 + "\"}]\n"
                        + "CurrentObservers:       [{\"id\": 3}]");
        String table = MetadataQuorumCommand.replication(quorum, true, 1500);
        var lines = table.split("\n");
        assertThat(lines[0]).startsWith("NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\t");
        assertThat(lines[1]).startsWith("1     \t" + d1 + "\t120         \t0  \t500 ms ago        \t500 ms ago");
        assertThat(lines[3]).contains("\t-1                \t-1                   \tObserver\t");
    }
}
