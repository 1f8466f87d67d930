package io.herald.broker;

import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import io.herald.storage.PartitionLog;
import io.herald.storage.TimestampOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListOffsets: the earliest offset, the latest (high watermark, or last stable offset for read_committed), the offset
 * of the largest timestamp, or the first offset at or after a timestamp (through the time index), per partition.
 */
final class ListOffsetsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ListOffsetsHandler.class);
    private static final byte READ_COMMITTED = 1;
    private static final long UNKNOWN = -1L;
    /** Responses carry the leader epoch from v4 (KIP-320). */
    private static final short LEADER_EPOCH_VERSION = 4;

    private final ReplicaManager replicas;
    private final RequestAuthorizer authorizer;

    ListOffsetsHandler(ReplicaManager replicas, RequestAuthorizer authorizer) {
        this.replicas = replicas;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ListOffsetsRequestData data = ((ListOffsetsRequest) request).data();
        boolean readCommitted = data.isolationLevel() == READ_COMMITTED;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : data.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            boolean authorized = authorizer.authorize(context, ResourceType.TOPIC, topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                topicResponse
                        .partitions()
                        .add(
                                authorized
                                        ? lookup(topic.name(), partition, readCommitted)
                                        : new ListOffsetsPartitionResponse()
                                                .setPartitionIndex(partition.partitionIndex())
                                                .setTimestamp(UNKNOWN)
                                                .setOffset(UNKNOWN)
                                                .setLeaderEpoch(-1)
                                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            response.topics().add(topicResponse);
        }
        if (request.version() < LEADER_EPOCH_VERSION) {
            response.topics().forEach(t -> t.partitions().forEach(p -> p.setLeaderEpoch(-1)));
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsPartitionResponse lookup(
            String topic, ListOffsetsRequestData.ListOffsetsPartition request, boolean readCommitted) {
        ListOffsetsPartitionResponse result = new ListOffsetsPartitionResponse()
                .setPartitionIndex(request.partitionIndex())
                .setTimestamp(UNKNOWN)
                .setOffset(UNKNOWN)
                .setLeaderEpoch(-1);
        try {
            Partition partition = replicas.leaderPartition(new TopicPartition(topic, request.partitionIndex()));
            partition.validateLeaderEpoch(request.currentLeaderEpoch());
            PartitionLog log = partition.log();
            long fetchable = partition.maxReadableOffset(readCommitted);
            long timestamp = request.timestamp();
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                return result.setOffset(fetchable).setLeaderEpoch(partition.leaderEpoch());
            }
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                return result.setOffset(log.logStartOffset()).setLeaderEpoch(partition.leaderEpoch());
            }
            Optional<TimestampOffset> found;
            if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
                found = log.maxTimestampOffset();
            } else if (timestamp < 0) {
                // Tiered-storage lookups (latest tiered, earliest pending upload): nothing is tiered here.
                return result;
            } else {
                found = log.offsetForTimestamp(timestamp);
            }
            found.filter(f -> f.offset() < fetchable).ifPresent(f -> result.setTimestamp(f.timestamp())
                    .setOffset(f.offset())
                    .setLeaderEpoch(f.leaderEpoch().orElse(partition.leaderEpoch())));
            return result;
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code());
        } catch (RuntimeException e) {
            LOG.warn("ListOffsets of {}-{} failed: {}", topic, request.partitionIndex(), e.toString());
            return result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());
        }
    }
}
