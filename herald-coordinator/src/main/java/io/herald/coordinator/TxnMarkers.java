package io.herald.coordinator;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Commit or abort markers a transaction needs on each of its partitions (WriteTxnMarkers to the partitions' leaders),
 * under the coordinator epoch of the {@code __transaction_state} partition that decided them.
 */
public record TxnMarkers(
        String transactionalId,
        long producerId,
        short producerEpoch,
        boolean commit,
        int coordinatorEpoch,
        Set<TopicPartition> partitions) {

    /** Delivers markers: retries until every partition's leader wrote them, then runs {@code done}. */
    public interface Sender {
        void send(TxnMarkers markers, Runnable done);
    }
}
