package io.herald.controller;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterPartitionReassignments. Partition data is not replicated between brokers yet, so a reassignment completes at
 * once and may only keep the partition's data where it is: the target replicas must include the current leader (a
 * no-op, a new replica order, or replicas added or removed around the leader). Moving the data is refused. Pure.
 */
final class ReassignmentDecisions {
    private ReassignmentDecisions() {}

    static Decision<AlterPartitionReassignmentsResponseData> alter(
            MetadataImage image, AlterPartitionReassignmentsRequestData request) {
        List<MetadataRecord> records = new ArrayList<>();
        AlterPartitionReassignmentsResponseData response = new AlterPartitionReassignmentsResponseData();
        for (var topic : request.topics()) {
            var topicResult =
                    new AlterPartitionReassignmentsResponseData.ReassignableTopicResponse().setName(topic.name());
            Optional<TopicImage> existing = image.topic(topic.name());
            for (var partition : topic.partitions()) {
                var result = new AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(Errors.NONE.code());
                PartitionRegistration current = existing.map(t -> t.partitions().get(partition.partitionIndex()))
                        .orElse(null);
                Errors error = Errors.NONE;
                String message = null;
                if (current == null) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    message = "The partition does not exist.";
                } else if (partition.replicas() == null) {
                    error = Errors.NO_REASSIGNMENT_IN_PROGRESS;
                    message = "No ongoing reassignment for partition " + topic.name() + "-" + partition.partitionIndex()
                            + ".";
                } else {
                    message = check(image, current, partition.replicas(), request.allowReplicationFactorChange());
                    if (message != null) {
                        error = message.startsWith("The replication factor")
                                ? Errors.INVALID_REPLICATION_FACTOR
                                : Errors.INVALID_REPLICA_ASSIGNMENT;
                    } else if (!partition.replicas().equals(current.replicas())) {
                        records.add(new MetadataRecord.Partition(
                                existing.get().id(),
                                partition.partitionIndex(),
                                partition.replicas(),
                                partition.replicas(),
                                current.leader(),
                                current.leaderEpoch(),
                                current.partitionEpoch() + 1));
                    }
                }
                topicResult.partitions().add(result.setErrorCode(error.code()).setErrorMessage(message));
            }
            response.responses().add(topicResult);
        }
        return new Decision<>(records, response);
    }

    private static String check(
            MetadataImage image, PartitionRegistration current, List<Integer> target, boolean allowRfChange) {
        if (target.isEmpty()) {
            return "The replica assignment is empty.";
        }
        if (new HashSet<>(target).size() != target.size()) {
            return "The replica assignment " + target + " contains duplicate brokers.";
        }
        for (int broker : target) {
            if (!image.brokers().containsKey(broker)) {
                return "The manual partition assignment includes broker " + broker
                        + ", but no such broker is registered.";
            }
        }
        if (!allowRfChange && target.size() != current.replicas().size()) {
            return "The replication factor is changed from "
                    + current.replicas().size() + " to " + target.size()
                    + " but allowReplicationFactorChange is false.";
        }
        if (!target.contains(current.leader())) {
            return "Moving a partition's data to other brokers is not supported yet: the target replicas " + target
                    + " must include the current leader " + current.leader() + ".";
        }
        return null;
    }
}
