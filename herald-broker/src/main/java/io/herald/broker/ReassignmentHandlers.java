package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.protocol.RequestContext;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.ApiError;

/**
 * Alter- and ListPartitionReassignments (KIP-455). Replicas do not move between brokers until replication lands, so
 * no reassignment is ever in progress: listing answers none, cancelling answers NO_REASSIGNMENT_IN_PROGRESS, and a
 * reassignment to the partition's current replicas completes at once. Requests are validated with Kafka's errors
 * (unknown topic or partition, empty or duplicate replicas, unregistered brokers, a forbidden replication factor
 * change); a valid move to other brokers is refused with INVALID_REPLICA_ASSIGNMENT saying why.
 */
final class ReassignmentHandlers {
    private final MetadataCache cache;

    ReassignmentHandlers(MetadataCache cache) {
        this.cache = cache;
    }

    CompletableFuture<ApiMessage> list(RequestContext context, AbstractRequest request) {
        // Kafka's answer without reassignments carries a null message, not the schema's empty default.
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponseData().setErrorMessage(null));
    }

    CompletableFuture<ApiMessage> alter(RequestContext context, AbstractRequest request) {
        AlterPartitionReassignmentsRequestData data = ((AlterPartitionReassignmentsRequest) request).data();
        MetadataImage image = cache.image();
        AlterPartitionReassignmentsResponseData response =
                new AlterPartitionReassignmentsResponseData().setErrorMessage(null);
        for (ReassignableTopic topic : data.topics()) {
            ReassignableTopicResponse topicResult = new ReassignableTopicResponse().setName(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                ApiError error = decide(image, topic.name(), partition, data.allowReplicationFactorChange());
                topicResult
                        .partitions()
                        .add(new ReassignablePartitionResponse()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.error().code())
                                .setErrorMessage(error.message()));
            }
            response.responses().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static ApiError decide(
            MetadataImage image, String topicName, ReassignablePartition partition, boolean allowRfChange) {
        Optional<TopicImage> topic = image.topic(topicName);
        if (topic.isEmpty()) {
            return invalid(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find a topic named " + topicName + ".");
        }
        PartitionRegistration current = topic.get().partition(partition.partitionIndex());
        if (current == null) {
            return invalid(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "Unable to find partition " + topicName + ":" + partition.partitionIndex() + ".");
        }
        List<Integer> target = partition.replicas();
        if (target == null) {
            return invalid(Errors.NO_REASSIGNMENT_IN_PROGRESS, "No partition reassignment is in progress.");
        }
        if (target.isEmpty()) {
            return invalid(
                    Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> distinct = new HashSet<>();
        for (int broker : target) {
            if (!distinct.add(broker)) {
                return invalid(
                        Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes the broker " + broker + " more than once.");
            }
        }
        for (int broker : target) {
            if (!image.brokers().containsKey(broker)) {
                return invalid(
                        Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes broker " + broker
                                + ", but no such broker is registered.");
            }
        }
        if (!allowRfChange && target.size() != current.replicas().size()) {
            return invalid(
                    Errors.INVALID_REPLICATION_FACTOR,
                    "The replication factor is changed from "
                            + current.replicas().size() + " to " + target.size()
                            + " but allowReplicationFactorChange is false.");
        }
        if (target.equals(current.replicas())) {
            return ApiError.NONE;
        }
        return invalid(
                Errors.INVALID_REPLICA_ASSIGNMENT,
                "Herald cannot move replicas between brokers yet (no inter-broker replication); the partition's"
                        + " replicas stay " + current.replicas() + ".");
    }

    private static ApiError invalid(Errors error, String message) {
        return new ApiError(error, message);
    }
}
