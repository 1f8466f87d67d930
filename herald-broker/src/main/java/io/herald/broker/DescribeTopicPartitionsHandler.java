package io.herald.broker;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeTopicPartitions (KIP-966), which newer Admin clients use to describe topics: topics in name order, at most
 * {@code response_partition_limit} partitions per answer, and a cursor to continue from.
 */
final class DescribeTopicPartitionsHandler implements ApiHandler {
    private static final int MAX_PARTITION_LIMIT = 2000;

    private final MetadataCache cache;
    private final RequestAuthorizer authorizer;

    DescribeTopicPartitionsHandler(MetadataCache cache, RequestAuthorizer authorizer) {
        this.cache = cache;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DescribeTopicPartitionsRequestData data = ((DescribeTopicPartitionsRequest) request).data();
        MetadataImage image = cache.image();
        TreeSet<String> names = new TreeSet<>();
        if (data.topics().isEmpty()) {
            // All topics: those the principal may describe, the others silently left out.
            image.topicsByName().keySet().stream()
                    .filter(name -> authorizer.allowed(context, AclOperation.DESCRIBE, ResourceType.TOPIC, name))
                    .forEach(names::add);
        } else {
            data.topics().forEach(t -> names.add(t.name()));
        }
        int limit = data.responsePartitionLimit() <= 0
                ? MAX_PARTITION_LIMIT
                : Math.min(data.responsePartitionLimit(), MAX_PARTITION_LIMIT);
        DescribeTopicPartitionsRequestData.Cursor cursor = data.cursor();
        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData();
        int remaining = limit;
        for (String name : cursor == null ? names : names.tailSet(cursor.topicName(), true)) {
            TopicImage topic = image.topicsByName().get(name);
            DescribeTopicPartitionsResponseTopic result = new DescribeTopicPartitionsResponseTopic()
                    .setName(name)
                    .setIsInternal(Topic.isInternal(name))
                    .setTopicAuthorizedOperations(AuthorizedOperations.OMITTED);
            if (!data.topics().isEmpty() && !authorizer.authorize(context, ResourceType.TOPIC, name)) {
                response.topics()
                        .add(result.setTopicId(Uuid.ZERO_UUID).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                continue;
            }
            result.setTopicAuthorizedOperations(
                    AuthorizedOperations.of(authorizer, context, ResourceType.TOPIC, name, true));
            if (topic == null) {
                response.topics()
                        .add(result.setTopicId(Uuid.ZERO_UUID).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                continue;
            }
            result.setTopicId(topic.id());
            int first = cursor != null && cursor.topicName().equals(name) ? cursor.partitionIndex() : 0;
            int count = topic.partitions().size();
            for (int p = first; p < count; p++) {
                if (remaining == 0) {
                    response.topics().add(result);
                    response.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor()
                            .setTopicName(name)
                            .setPartitionIndex(p));
                    return CompletableFuture.completedFuture(response);
                }
                result.partitions().add(describe(image, p, topic.partition(p)));
                remaining--;
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeTopicPartitionsResponsePartition describe(
            MetadataImage image, int index, PartitionRegistration partition) {
        List<Integer> offline = new ArrayList<>();
        for (int replica : partition.replicas()) {
            BrokerRegistration broker = image.brokers().get(replica);
            if (broker == null || broker.fenced()) {
                offline.add(replica);
            }
        }
        BrokerRegistration leader = image.brokers().get(partition.leader());
        boolean leaderLive = leader != null && !leader.fenced();
        return new DescribeTopicPartitionsResponsePartition()
                .setPartitionIndex(index)
                .setErrorCode(leaderLive ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                .setLeaderId(leaderLive ? partition.leader() : -1)
                .setLeaderEpoch(partition.leaderEpoch())
                .setReplicaNodes(partition.replicas())
                .setIsrNodes(partition.isr())
                .setEligibleLeaderReplicas(List.of())
                .setLastKnownElr(List.of())
                .setOfflineReplicas(offline);
    }
}
