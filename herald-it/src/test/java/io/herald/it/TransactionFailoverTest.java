package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transaction state on real processes (three nodes from {@code bin/}): the leader of a replicated partition and of a
 * single-replica one is killed with kill -9 while a transaction is open in each, after an aborted and a committed one.
 * The new leader of the replicated partition (a follower that rebuilt its txn index and producer state as it
 * replicated) gives read_committed consumers the same view and holds the last stable offset at the open transaction;
 * the restarted node recovers the single-replica partition with the transaction still open; markers then end both.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TransactionFailoverTest {
    private static final long ABORTS = 5000L;
    private static final long COMMITS = 5001L;
    private static final long STAYS_OPEN = 5002L;

    @Test
    void readCommittedViewSurvivesKill9AndLeaderFailover(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        long startNs = System.nanoTime();
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 3).start()) {
            phase("cluster started", startNs);
            Admin admin = cluster.admin();
            admin.createTopics(
                            List.of(new NewTopic("txn-ha", 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicPartition ha = new TopicPartition("txn-ha", 0);
            ScriptedCluster.ClusterNode leader = cluster.awaitLeader(ha);
            admin.createTopics(List.of(new NewTopic("txn-solo", Map.of(0, List.of(leader.id())))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            TopicPartition solo = new TopicPartition("txn-solo", 0);
            cluster.awaitLeader(solo);
            try (TxnRequests txn = new TxnRequests(leader.bootstrapServer())) {
                for (String topic : List.of("txn-ha", "txn-solo")) {
                    // Offsets: 0 aborted, 1 committed, 2 ABORT, 3 COMMIT, 4 open (the last stable offset).
                    assertThat(txn.produce(topic, 0, ABORTS, (short) 0, 0, "aborted"))
                            .isEqualTo(Errors.NONE);
                    assertThat(txn.produce(topic, 0, COMMITS, (short) 0, 0, "committed"))
                            .isEqualTo(Errors.NONE);
                    assertThat(txn.marker(topic, ABORTS, (short) 0, 1, false, 0))
                            .containsExactly(Errors.NONE);
                    assertThat(txn.marker(topic, COMMITS, (short) 0, 1, true, 0))
                            .containsExactly(Errors.NONE);
                    assertThat(txn.produce(topic, 0, STAYS_OPEN, (short) 0, 0, "open"))
                            .isEqualTo(Errors.NONE);
                }
            }
            String servers = cluster.bootstrapServers();
            try (KafkaConsumer<String, String> committed = TxnRequests.consumer(servers, true)) {
                assertThat(TxnRequests.endOffset(committed, ha)).isEqualTo(4);
                assertThat(TxnRequests.readUntil(committed, ha, v -> v.contains("committed")))
                        .containsExactly("committed");
            }

            phase("transactions written and read", startNs);
            leader.kill();
            ScriptedCluster.ClusterNode next = cluster.awaitLeader(ha);
            assertThat(next.id()).isNotEqualTo(leader.id());
            try (KafkaConsumer<String, String> committed = TxnRequests.consumer(servers, true)) {
                await("the new leader's last stable offset")
                        .atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .untilAsserted(() ->
                                assertThat(TxnRequests.endOffset(committed, ha)).isEqualTo(4));
                assertThat(TxnRequests.readUntil(committed, ha, v -> v.contains("committed")))
                        .containsExactly("committed");
            }

            phase("new leader serves the same view", startNs);
            leader.restart();
            assertThat(Files.readString(leader.log())).contains("unclean shutdown");
            try (KafkaConsumer<String, String> committed = TxnRequests.consumer(servers, true);
                    KafkaConsumer<String, String> uncommitted = TxnRequests.consumer(servers, false)) {
                await("the restarted node serves " + solo)
                        .atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(TxnRequests.endOffset(uncommitted, solo))
                                .isEqualTo(5));
                assertThat(TxnRequests.endOffset(committed, solo)).isEqualTo(4); // still open after kill -9
                assertThat(TxnRequests.readUntil(committed, solo, v -> v.contains("committed")))
                        .containsExactly("committed");
            }

            phase("restarted node recovered", startNs);
            try (TxnRequests onRestarted = new TxnRequests(leader.bootstrapServer());
                    TxnRequests onLeader =
                            new TxnRequests(cluster.awaitLeader(ha).bootstrapServer())) {
                assertThat(onRestarted.marker("txn-solo", STAYS_OPEN, (short) 0, 1, true, 0))
                        .containsExactly(Errors.NONE);
                assertThat(onLeader.marker("txn-ha", STAYS_OPEN, (short) 0, 1, true, 0))
                        .containsExactly(Errors.NONE);
            }
            try (KafkaConsumer<String, String> committed = TxnRequests.consumer(servers, true)) {
                for (TopicPartition tp : List.of(ha, solo)) {
                    assertThat(TxnRequests.readUntil(committed, tp, v -> v.contains("open")))
                            .as("read_committed %s", tp)
                            .containsExactly("committed", "open");
                }
            }
            phase("markers ended both", startNs);
        }
        phase("cluster stopped", startNs);
    }

    private static void phase(String what, long startNs) {
        System.out.printf("TransactionFailoverTest: %s after %d ms%n", what, (System.nanoTime() - startNs) / 1_000_000);
    }
}
