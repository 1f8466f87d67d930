package io.herald.broker;

import io.herald.metadata.AclAuthorizer;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import io.herald.storage.EpochEndOffset;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetForLeaderEpoch (KIP-320): the end offset of a leader epoch in this leader's log, which clients use to check
 * that their position survived a leader change without truncation.
 */
final class OffsetForLeaderEpochHandler implements ApiHandler {
    private final ReplicaManager replicas;
    private final RequestAuthorizer authorizer;

    OffsetForLeaderEpochHandler(ReplicaManager replicas, RequestAuthorizer authorizer) {
        this.replicas = replicas;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        OffsetForLeaderEpochRequestData data = ((OffsetsForLeaderEpochRequest) request).data();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        // A follower (a replica id) needs CLUSTER_ACTION on the cluster; a client DESCRIBE on each topic.
        boolean follower = data.replicaId() >= 0;
        boolean followerAuthorized =
                follower && authorizer.authorize(context, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME);
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : data.topics()) {
            boolean authorized =
                    follower ? followerAuthorized : authorizer.authorize(context, ResourceType.TOPIC, topic.topic());
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topicResult =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition : topic.partitions()) {
                OffsetForLeaderEpochResponseData.EpochEndOffset result =
                        new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                .setPartition(partition.partition())
                                .setLeaderEpoch(-1)
                                .setEndOffset(-1);
                if (!authorized) {
                    topicResult.partitions().add(result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                    continue;
                }
                try {
                    Partition hosted =
                            replicas.leaderPartition(new TopicPartition(topic.topic(), partition.partition()));
                    hosted.validateLeaderEpoch(partition.currentLeaderEpoch());
                    EpochEndOffset end = hosted.log().endOffsetForEpoch(partition.leaderEpoch());
                    result.setLeaderEpoch(end.leaderEpoch()).setEndOffset(end.endOffset());
                } catch (ApiException e) {
                    result.setErrorCode(Errors.forException(e).code());
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(response);
    }
}
