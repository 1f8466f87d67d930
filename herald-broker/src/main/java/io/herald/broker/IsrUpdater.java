package io.herald.broker;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.replication.IsrChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a leader's ISR proposals to the controller as Kafka's AlterPartition (v3: topic ids and the broker epoch of
 * every proposed member) and reports the committed state, or the failure, back to the partition's leader state.
 */
final class IsrUpdater {
    private static final Logger LOG = LoggerFactory.getLogger(IsrUpdater.class);
    static final short ALTER_PARTITION_VERSION = 3;

    /** The controller's answer for one partition: the committed ISR and partition epoch, or an error. */
    record Outcome(Errors error, List<Integer> isr, int leaderEpoch, int partitionEpoch) {}

    private final int nodeId;
    private final ControllerChannel channel;
    private final LongSupplier brokerEpoch;
    private final MetadataCache cache;
    private final long timeoutMs;

    IsrUpdater(int nodeId, ControllerChannel channel, LongSupplier brokerEpoch, MetadataCache cache, long timeoutMs) {
        this.nodeId = nodeId;
        this.channel = channel;
        this.brokerEpoch = brokerEpoch;
        this.cache = cache;
        this.timeoutMs = timeoutMs;
    }

    CompletableFuture<Outcome> propose(Partition partition, IsrChange change) {
        MetadataImage image = cache.image();
        List<AlterPartitionRequestData.BrokerState> members = new ArrayList<>();
        for (int id : change.isr()) {
            BrokerRegistration broker = image.brokers().get(id);
            members.add(new AlterPartitionRequestData.BrokerState()
                    .setBrokerId(id)
                    .setBrokerEpoch(broker == null ? -1 : broker.epoch()));
        }
        AlterPartitionRequestData request =
                new AlterPartitionRequestData().setBrokerId(nodeId).setBrokerEpoch(brokerEpoch.getAsLong());
        request.topics()
                .add(new AlterPartitionRequestData.TopicData()
                        .setTopicId(partition.topicId())
                        .setPartitions(List.of(new AlterPartitionRequestData.PartitionData()
                                .setPartitionIndex(partition.topicPartition().partition())
                                .setLeaderEpoch(change.leaderEpoch())
                                .setPartitionEpoch(change.partitionEpoch())
                                .setNewIsrWithEpochs(members))));
        CompletableFuture<AlterPartitionResponseData> sent =
                channel.send(ApiKeys.ALTER_PARTITION, ALTER_PARTITION_VERSION, request, timeoutMs);
        return sent.handle((response, error) -> {
            if (error != null) {
                LOG.debug("AlterPartition for {} failed: {}", partition.topicPartition(), error.toString());
                return new Outcome(Errors.REQUEST_TIMED_OUT, List.of(), -1, -1);
            }
            if (response.errorCode() != Errors.NONE.code()) {
                return new Outcome(Errors.forCode(response.errorCode()), List.of(), -1, -1);
            }
            for (AlterPartitionResponseData.TopicData topic : response.topics()) {
                for (AlterPartitionResponseData.PartitionData data : topic.partitions()) {
                    if (data.partitionIndex() == partition.topicPartition().partition()) {
                        return new Outcome(
                                Errors.forCode(data.errorCode()),
                                data.isr(),
                                data.leaderEpoch(),
                                data.partitionEpoch());
                    }
                }
            }
            return new Outcome(Errors.UNKNOWN_SERVER_ERROR, List.of(), -1, -1);
        });
    }
}
