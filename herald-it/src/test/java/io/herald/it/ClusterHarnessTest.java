package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-process harness and the no-loss checker on what works before replication: three combined nodes with a
 * static quorum, a topic of one replica per partition, and the leader of partition 0 killed with kill -9 and restarted
 * on its data directory while an idempotent acks=all producer writes. The OS page cache outlives a killed process, so
 * every acknowledged record must be read back exactly once, in order, at its acknowledged offset.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ClusterHarnessTest {
    private static final int CYCLES = 2;

    @Test
    void killNineOfALeaderAndRestartOnItsDataLosesNoAcknowledgedRecord(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 3).start()) {
            cluster.admin()
                    .createTopics(List.of(new NewTopic("survivors", 3, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicPartition partition = new TopicPartition("survivors", 0);
            AckChecker.History history;
            try (FailoverWorkload workload =
                    new FailoverWorkload(cluster.bootstrapServers(), "survivors", 3, Map.of())) {
                for (int cycle = 0; cycle < CYCLES; cycle++) {
                    workload.awaitProgress(300, Duration.ofSeconds(120));
                    ScriptedCluster.ClusterNode leader = cluster.awaitLeader(partition);
                    leader.kill();
                    assertThat(leader.alive()).isFalse();
                    leader.restart();
                }
                workload.awaitProgress(300, Duration.ofSeconds(120));
                workload.finish();
                history = workload.history();
            }
            assertThat(history.failedCount())
                    .as("failed sends: %s", history.failureKinds())
                    .isZero();
            AckChecker.Report report =
                    AckChecker.check(history, FailoverWorkload.readBack(cluster.bootstrapServers(), "survivors", 3));
            System.out.println("ClusterHarnessTest: " + report);
            assertThat(report.clean()).as(report.toString()).isTrue();
            assertThat(report.acked()).isEqualTo(history.sentCount());

            // Each restart recovered the killed node's logs and rejoined the quorum and the cluster.
            ScriptedCluster.ClusterNode restarted = cluster.awaitLeader(partition);
            assertThat(Files.readString(restarted.log())).contains("unclean shutdown");
            cluster.awaitBrokers(3);
        }
    }

    @Test
    void sigtermStopsANodeCleanlyAndItStartsAgainOnItsData(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        try (ScriptedCluster cluster =
                ScriptedCluster.combined(dir, 1).interBrokerProxies().start()) {
            cluster.admin()
                    .createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            ScriptedCluster.ClusterNode node = cluster.node(1);
            node.stop();
            assertThat(node.alive()).isFalse();
            assertThat(Files.readString(node.log())).contains("Herald node 1 shut down");
            node.restart();
            assertThat(Files.readString(node.log()))
                    .doesNotContain("unclean shutdown")
                    .contains("Listening on REPLICATION"); // the inter-broker listener the proxy fronts
            assertThat(cluster.admin().listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains("kept");
        }
    }
}
