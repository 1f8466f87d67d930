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
 * static quorum (inter-broker traffic through the harness's proxies), a topic of one replica per partition, and the
 * leader of partition 0 killed with kill -9, then stopped with SIGTERM, each time restarted on its data directory while
 * an idempotent acks=all producer writes. The OS page cache outlives a killed process, so every acknowledged record
 * must be read back exactly once, in order, at its acknowledged offset.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ClusterHarnessTest {

    @Test
    void aLeaderKilledOrStoppedAndRestartedOnItsDataLosesNoAcknowledgedRecord(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        try (ScriptedCluster cluster =
                ScriptedCluster.combined(dir, 3).interBrokerProxies().start()) {
            cluster.admin()
                    .createTopics(List.of(new NewTopic("survivors", 3, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicPartition partition = new TopicPartition("survivors", 0);
            AckChecker.History history;
            try (FailoverWorkload workload =
                    new FailoverWorkload(cluster.bootstrapServers(), "survivors", 3, Map.of())) {
                workload.awaitProgress(300, Duration.ofSeconds(120));
                ScriptedCluster.ClusterNode killed = cluster.awaitLeader(partition);
                killed.kill();
                assertThat(killed.alive()).isFalse();
                killed.restart();
                assertThat(Files.readString(killed.log()))
                        .as("recovery after kill -9")
                        .contains("unclean shutdown");

                workload.awaitProgress(300, Duration.ofSeconds(120));
                ScriptedCluster.ClusterNode stopped = cluster.awaitLeader(partition);
                stopped.stop();
                assertThat(stopped.alive()).isFalse();
                assertThat(Files.readString(stopped.log())).contains("Herald node " + stopped.id() + " shut down");
                stopped.restart();
                assertThat(Files.readString(stopped.log()))
                        .doesNotContain("unclean shutdown")
                        .contains("Listening on REPLICATION"); // the inter-broker listener its proxy fronts

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
            cluster.awaitBrokers(3);
        }
    }
}
