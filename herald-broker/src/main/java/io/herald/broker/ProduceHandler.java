package io.herald.broker;

import io.herald.protocol.ApiHandler;
import io.herald.protocol.CloseConnectionException;
import io.herald.protocol.RequestContext;
import io.herald.storage.AppendOrigin;
import io.herald.storage.LogAppendInfo;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produce: appends each partition's record batches to its log on this leader, with per-partition errors (the rest of
 * the request still succeeds) and Kafka's acks semantics; acks=0 sends no response. A bad batch never harms the broker:
 * the log validates before it writes.
 */
final class ProduceHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);

    /** The client id Kafka lets write internal topics (its admin tools' id). */
    private static final String ADMIN_CLIENT_ID = "__admin_client";

    private final ReplicaManager replicas;

    ProduceHandler(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ProduceRequestData data = ((ProduceRequest) request).data();
        short acks = data.acks();
        ProduceResponseData response = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topic.name())
                    .setTopicId(topic.topicId());
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                topicResponse.partitionResponses().add(produce(context, topic, partition, acks));
            }
            response.responses().add(topicResponse);
        }
        if (acks == 0) {
            return CompletableFuture.completedFuture(closeOnError(response));
        }
        return CompletableFuture.completedFuture(response);
    }

    /** acks=0: no response; an error closes the connection instead, as Kafka does, so the client notices it. */
    private static ApiMessage closeOnError(ProduceResponseData response) {
        for (ProduceResponseData.TopicProduceResponse topic : response.responses()) {
            for (PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    throw new CloseConnectionException(
                            "acks=0 produce to " + topic.name() + "-" + partition.index() + " failed with "
                                    + Errors.forCode(partition.errorCode()).name());
                }
            }
        }
        return null;
    }

    private PartitionProduceResponse produce(
            RequestContext context,
            ProduceRequestData.TopicProduceData topic,
            ProduceRequestData.PartitionProduceData data,
            short acks) {
        PartitionProduceResponse result = new PartitionProduceResponse()
                .setIndex(data.index())
                .setBaseOffset(-1)
                .setLogAppendTimeMs(-1)
                .setLogStartOffset(-1);
        try {
            if (acks != 0 && acks != 1 && acks != -1) {
                throw new InvalidRequiredAcksException("Invalid required acks value " + acks + ": use 0, 1 or -1.");
            }
            String name = topic.name() == null || topic.name().isEmpty() && !Uuid.ZERO_UUID.equals(topic.topicId())
                    ? replicas.topicName(topic.topicId())
                    : topic.name();
            if (Topic.isInternal(name) && !ADMIN_CLIENT_ID.equals(context.clientId())) {
                // Internal topics hold coordinator state: only the coordinators (and, as in Kafka, a client
                // identifying as the admin client) write them. Kafka answers without an error message.
                return result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
            }
            Partition partition = replicas.leaderPartition(new TopicPartition(name, data.index()));
            if (acks == -1) {
                // Kafka 4.x caps min.insync.replicas at the replication factor (its "effective" min ISR), so a
                // topic whose min.insync.replicas exceeds its replica count still takes acks=all writes.
                int minIsr = Math.min(
                        replicas.minInsyncReplicas(name),
                        partition.registration().replicas().size());
                int isr = partition.registration().isr().size();
                if (isr < minIsr) {
                    throw new NotEnoughReplicasException("The size of the current ISR " + isr
                            + " is insufficient to satisfy the min.isr requirement of " + minIsr + " for partition "
                            + partition.topicPartition());
                }
            }
            MemoryRecords records = (MemoryRecords) data.records();
            LogAppendInfo info = partition.log().append(records, partition.leaderEpoch(), AppendOrigin.CLIENT);
            replicas.appended(partition);
            return result.setBaseOffset(info.firstOffset())
                    .setLogAppendTimeMs(info.logAppendTimeMs())
                    .setLogStartOffset(info.logStartOffset());
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Produce to {}-{} from {} failed: {}",
                    topic.name(),
                    data.index(),
                    context.clientId(),
                    e.toString());
            return result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setErrorMessage(e.getMessage());
        }
    }
}
