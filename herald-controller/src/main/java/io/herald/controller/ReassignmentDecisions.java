package io.herald.controller;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.PartitionChanges;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * Alter- and ListPartitionReassignments (KIP-455) as KRaft's controller decides them, on the rules of
 * {@link PartitionChanges}: a target starts (or replaces) a reassignment, a null target cancels one. Each partition is
 * validated with Kafka's errors: UNKNOWN_TOPIC_OR_PARTITION, NO_REASSIGNMENT_IN_PROGRESS for a cancel of nothing,
 * INVALID_REPLICA_ASSIGNMENT for an empty target, a broker named twice or one that is not registered (fenced brokers
 * are accepted, as Kafka accepts them), INVALID_REPLICATION_FACTOR when the request forbids a replication factor
 * change, and INVALID_REPLICA_ASSIGNMENT for a cancel that would need an unclean election the topic does not allow.
 */
final class ReassignmentDecisions {
    private ReassignmentDecisions() {}

    static Decision<AlterPartitionReassignmentsResponseData> alter(
            MetadataImage image,
            AlterPartitionReassignmentsRequestData request,
            Set<Integer> shuttingDown,
            boolean uncleanDefault) {
        IntPredicate acceptable = LeadershipDecisions.acceptable(image, shuttingDown, Set.of());
        AlterPartitionReassignmentsResponseData response =
                new AlterPartitionReassignmentsResponseData().setErrorMessage(null);
        List<MetadataRecord> records = new ArrayList<>();
        Map<String, PartitionRegistration> changed = new HashMap<>();
        for (ReassignableTopic topic : request.topics()) {
            ReassignableTopicResponse topicResult = new ReassignableTopicResponse().setName(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                ApiError error = decide(
                        image,
                        topic.name(),
                        partition,
                        request.allowReplicationFactorChange(),
                        acceptable,
                        uncleanDefault,
                        changed,
                        records);
                topicResult
                        .partitions()
                        .add(new ReassignablePartitionResponse()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.error().code())
                                .setErrorMessage(error.message()));
            }
            response.responses().add(topicResult);
        }
        return new Decision<>(records, response);
    }

    private static ApiError decide(
            MetadataImage image,
            String topicName,
            ReassignablePartition request,
            boolean allowRfChange,
            IntPredicate acceptable,
            boolean uncleanDefault,
            Map<String, PartitionRegistration> changed,
            List<MetadataRecord> records) {
        Optional<TopicImage> topic = image.topic(topicName);
        if (topic.isEmpty()) {
            return new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find a topic named " + topicName + ".");
        }
        String key = topicName + ":" + request.partitionIndex();
        PartitionRegistration current = changed.getOrDefault(key, topic.get().partition(request.partitionIndex()));
        if (current == null) {
            return new ApiError(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "Unable to find partition " + topicName + ":" + request.partitionIndex() + ".");
        }
        Optional<PartitionRegistration> next;
        if (request.replicas() == null) {
            if (!current.isReassigning()) {
                return new ApiError(Errors.NO_REASSIGNMENT_IN_PROGRESS, Errors.NO_REASSIGNMENT_IN_PROGRESS.message());
            }
            if (PartitionChanges.revertNeedsUnclean(current)
                    && !LeadershipDecisions.uncleanEnabled(image, topicName, uncleanDefault)) {
                return new ApiError(
                        Errors.INVALID_REPLICA_ASSIGNMENT,
                        "Unable to revert partition assignment for " + topicName + ":" + request.partitionIndex()
                                + " because it would require an unclean leader election.");
            }
            next = PartitionChanges.cancel(current, acceptable);
        } else {
            ApiError invalid = validateTarget(image, request.replicas());
            if (invalid != null) {
                return invalid;
            }
            int currentFactor = current.targetReplicas().size();
            if (!allowRfChange && request.replicas().size() != currentFactor) {
                return new ApiError(
                        Errors.INVALID_REPLICATION_FACTOR,
                        "The replication factor is changed from " + currentFactor + " to "
                                + request.replicas().size() + " but allowReplicationFactorChange is false.");
            }
            next = PartitionChanges.reassign(current, request.replicas(), acceptable);
        }
        next.ifPresent(p -> {
            records.add(MetadataRecord.Partition.of(topic.get().id(), request.partitionIndex(), p));
            changed.put(key, p);
        });
        return ApiError.NONE;
    }

    /** Kafka's checks of a manual assignment, brokers in id order: empty, unregistered, named twice. */
    private static ApiError validateTarget(MetadataImage image, List<Integer> target) {
        if (target.isEmpty()) {
            return new ApiError(
                    Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        List<Integer> sorted = new ArrayList<>(target);
        sorted.sort(Integer::compare);
        Integer previous = null;
        for (Integer broker : sorted) {
            if (!image.brokers().containsKey(broker)) {
                return new ApiError(
                        Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes broker " + broker
                                + ", but no such broker is registered.");
            }
            if (broker.equals(previous)) {
                return new ApiError(
                        Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes the broker " + broker + " more than once.");
            }
            previous = broker;
        }
        return null;
    }

    /**
     * The reassignments in progress: of every topic when {@code request.topics()} is null, else of the named
     * partitions (unknown topics and partitions not being reassigned are left out, as Kafka does).
     */
    static ListPartitionReassignmentsResponseData list(
            MetadataImage image, ListPartitionReassignmentsRequestData request) {
        ListPartitionReassignmentsResponseData response =
                new ListPartitionReassignmentsResponseData().setErrorMessage(null);
        if (request.topics() == null) {
            for (TopicImage topic : new TreeMap<>(image.topicsByName()).values()) {
                add(response, topic, topic.partitions().keySet());
            }
        } else {
            for (var named : request.topics()) {
                image.topic(named.name())
                        .ifPresent(topic -> add(response, topic, new TreeSet<>(named.partitionIndexes())));
            }
        }
        return response;
    }

    private static void add(
            ListPartitionReassignmentsResponseData response, TopicImage topic, Iterable<Integer> partitions) {
        OngoingTopicReassignment result = new OngoingTopicReassignment().setName(topic.name());
        for (int index : partitions) {
            PartitionRegistration p = topic.partition(index);
            if (p != null && p.isReassigning()) {
                result.partitions()
                        .add(new OngoingPartitionReassignment()
                                .setPartitionIndex(index)
                                .setReplicas(new ArrayList<>(p.replicas()))
                                .setAddingReplicas(new ArrayList<>(p.addingReplicas()))
                                .setRemovingReplicas(new ArrayList<>(p.removingReplicas())));
            }
        }
        if (!result.partitions().isEmpty()) {
            response.topics().add(result);
        }
    }
}
