package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransactionsCommandTest {
    @Test
    void describeTableLayout() {
        var d = new TransactionDescription(
                1, TransactionState.ONGOING, 42L, 3, 60000, OptionalLong.of(1000), Set.of(new TopicPartition("t", 0)));
        assertThat(TransactionsCommand.describeTable("tx", d, 1500))
                .isEqualTo(
                        "CoordinatorId\tTransactionalId\tProducerId\tProducerEpoch\tTransactionState\t"
                                + "TransactionTimeoutMs\tCurrentTransactionStartTimeMs\tTransactionDurationMs\tTopicPartitions\t\n"
                                + "1            \ttx             \t42        \t3            \tOngoing         \t"
                                + "60000               \t1000                         \t500                  \tt-0            \t\n");
    }

    @Test
    void producersTableLayout() {
        var p = new ProducerState(7, 2, 5, 123, OptionalInt.of(1), OptionalLong.empty());
        assertThat(TransactionsCommand.producersTable(List.of(p)))
                .isEqualTo("ProducerId\tProducerEpoch\tLatestCoordinatorEpoch\tLastSequence\tLastTimestamp\t"
                        + "CurrentTransactionStartOffset\t\n"
                        + "7         \t2            \t1                     \t5           \t123          \t"
                        + "None                         \t\n");
    }

    @Test
    void argumentErrors() {
        assertThat(ToolOutput.run(TransactionsCommand::run, "list").err())
                .isEqualTo("kafka-transactions.sh: error: argument --bootstrap-server is required\n");
        assertThat(ToolOutput.run(TransactionsCommand::run, "--bootstrap-server", "h", "describe")
                        .err())
                .isEqualTo("kafka-transactions.sh describe: error: argument --transactional-id is required\n");
        assertThat(ToolOutput.run(TransactionsCommand::run, "--bootstrap-server", "h", "nope")
                        .exitCode())
                .isEqualTo(1);
    }
}
