package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WriteTxnMarkers against a real broker over TCP, driven by hand as a transaction coordinator would: the marker ends
 * the transaction in the partition (read_committed readers are held at its first offset until then), errors per
 * partition as Kafka answers them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionMarkersTest {
    @TempDir
    static Path dir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dir).start();
        admin = Admin.create(node.adminConfig());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all()
                .get();
    }

    @Test
    void readCommittedConsumersWaitForTheCommitMarker() throws Exception {
        createTopic("txn-commit", 1);
        TopicPartition tp = new TopicPartition("txn-commit", 0);
        try (TxnRequests txn = new TxnRequests(node.bootstrapServers());
                KafkaConsumer<String, String> committed = TxnRequests.consumer(node.bootstrapServers(), true);
                KafkaConsumer<String, String> uncommitted = TxnRequests.consumer(node.bootstrapServers(), false)) {
            assertThat(txn.produce("txn-commit", 0, 1000L, (short) 0, 0, "a", "b"))
                    .isEqualTo(Errors.NONE);
            assertThat(txn.produce("txn-commit", 0, 1000L, (short) 0, 2, "c")).isEqualTo(Errors.NONE);
            assertThat(TxnRequests.readUntil(uncommitted, tp, v -> v.size() >= 3))
                    .containsExactly("a", "b", "c");
            // The transaction is open: the last stable offset stays at its first offset.
            assertThat(TxnRequests.endOffset(committed, tp)).isZero();
            assertThat(TxnRequests.endOffset(uncommitted, tp)).isEqualTo(3);

            assertThat(txn.marker("txn-commit", 1000L, (short) 0, 0, true, 0)).containsExactly(Errors.NONE);
            assertThat(TxnRequests.endOffset(committed, tp)).isEqualTo(4); // past the marker
            assertThat(TxnRequests.readUntil(committed, tp, v -> v.size() >= 3)).containsExactly("a", "b", "c");
        }
    }

    @Test
    void markerErrorsArePerPartitionAsKafkaAnswers() throws Exception {
        createTopic("txn-errors", 1);
        try (TxnRequests txn = new TxnRequests(node.bootstrapServers())) {
            assertThat(txn.produce("txn-errors", 0, 2000L, (short) 3, 0, "x")).isEqualTo(Errors.NONE);
            assertThat(txn.marker("txn-errors", 2000L, (short) 3, 5, false, 0, 7))
                    .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(txn.marker("no-such-topic", 2000L, (short) 3, 5, true, 0))
                    .containsExactly(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            // A marker of an older producer epoch, or from an older coordinator epoch, is refused.
            assertThat(txn.marker("txn-errors", 2000L, (short) 2, 5, true, 0))
                    .containsExactly(Errors.INVALID_PRODUCER_EPOCH);
            assertThat(txn.marker("txn-errors", 2000L, (short) 3, 4, true, 0))
                    .containsExactly(Errors.TRANSACTION_COORDINATOR_FENCED);
            // The same marker again (a coordinator retrying) is written again, as Kafka does.
            assertThat(txn.marker("txn-errors", 2000L, (short) 3, 5, false, 0)).containsExactly(Errors.NONE);
        }
    }
}
