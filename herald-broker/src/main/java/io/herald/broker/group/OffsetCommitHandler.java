package io.herald.broker.group;

import io.herald.broker.RequestAuthorizer;
import io.herald.coordinator.GroupCoordinator;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetCommit v2-9: checked against the classic generation or the consumer group's member epoch (v9), or a "simple"
 * commit for a group without members; answered once the offsets are written to the group's partition.
 */
public final class OffsetCommitHandler implements ApiHandler {
    private final GroupCoordinator coordinator;
    private final Predicate<String> topicExists;
    private final RequestAuthorizer authorizer;

    /** {@code topicExists} tells whether the broker's metadata knows a topic; others are not committed. */
    public OffsetCommitHandler(
            GroupCoordinator coordinator, Predicate<String> topicExists, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.topicExists = topicExists;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        OffsetCommitRequestData data = ((OffsetCommitRequest) request).data();
        // As Kafka: offsets of topics the cluster does not know are refused per partition with
        // UNKNOWN_TOPIC_OR_PARTITION before the group sees the request; the rest are committed.
        List<OffsetCommitResponseTopic> unknown = new ArrayList<>();
        OffsetCommitRequestData known = data.duplicate();
        known.topics().clear();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
            // READ on the topic first, so an unauthorized principal cannot tell whether it exists.
            boolean authorized = authorizer.authorize(context, ResourceType.TOPIC, topic.name());
            if (authorized && topicExists.test(topic.name())) {
                known.topics().add(topic);
                continue;
            }
            Errors error = authorized ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.TOPIC_AUTHORIZATION_FAILED;
            OffsetCommitResponseTopic result = new OffsetCommitResponseTopic().setName(topic.name());
            topic.partitions().forEach(p -> result.partitions()
                    .add(new OffsetCommitResponsePartition()
                            .setPartitionIndex(p.partitionIndex())
                            .setErrorCode(error.code())));
            unknown.add(result);
        }
        if (unknown.isEmpty()) {
            return coordinator.commitOffsets(data, context.apiVersion()).thenApply(response -> response);
        }
        if (known.topics().isEmpty()) {
            return CompletableFuture.completedFuture(new OffsetCommitResponseData().setTopics(unknown));
        }
        return coordinator.commitOffsets(known, context.apiVersion()).thenApply(response -> {
            response.topics().addAll(unknown);
            return response;
        });
    }
}
