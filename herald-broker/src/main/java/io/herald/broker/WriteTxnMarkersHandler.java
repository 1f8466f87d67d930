package io.herald.broker;

import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import io.herald.storage.AppendOrigin;
import io.herald.storage.LogAppendInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WriteTxnMarkers (inter-broker, from a transaction coordinator): for each marker and partition this broker leads,
 * appends a COMMIT or ABORT control batch as the leader with the coordinator's origin, and answers that partition once
 * the high watermark passed the marker (acks=all). The log refuses a marker from an older producer epoch
 * (INVALID_PRODUCER_EPOCH) or an older coordinator epoch (TRANSACTION_COORDINATOR_FENCED). For a partition of
 * {@code __consumer_offsets} the group coordinator is told once the marker is replicated.
 */
final class WriteTxnMarkersHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WriteTxnMarkersHandler.class);

    /** Told of each marker replicated in a {@code __consumer_offsets} partition. */
    @FunctionalInterface
    interface OffsetsMarkerListener {
        void onTransactionMarker(
                TopicPartition partition, long producerId, short producerEpoch, boolean commit, long markerOffset);
    }

    private final ReplicaManager replicas;
    private final OffsetsMarkerListener offsetsListener;
    private final long timeoutMs;

    WriteTxnMarkersHandler(ReplicaManager replicas, OffsetsMarkerListener offsetsListener, long timeoutMs) {
        this.replicas = replicas;
        this.offsetsListener = offsetsListener;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        WriteTxnMarkersRequestData data = ((WriteTxnMarkersRequest) request).data();
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (WriteTxnMarkersRequestData.WritableTxnMarker marker : data.markers()) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult markerResult =
                    new WriteTxnMarkersResponseData.WritableTxnMarkerResult().setProducerId(marker.producerId());
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic topic : marker.topics()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topicResult =
                        new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(topic.name());
                for (int index : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult result =
                            new WritableTxnMarkerPartitionResult().setPartitionIndex(index);
                    pending.add(write(marker, new TopicPartition(topic.name(), index))
                            .thenAccept(error -> result.setErrorCode(error.code())));
                    topicResult.partitions().add(result);
                }
                markerResult.topics().add(topicResult);
            }
            response.markers().add(markerResult);
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(done -> response);
    }

    /** Appends one marker and completes with its partition's error once it is replicated (or cannot be). */
    private CompletableFuture<Errors> write(WriteTxnMarkersRequestData.WritableTxnMarker marker, TopicPartition tp) {
        try {
            Partition partition = replicas.leaderPartition(tp);
            int minIsr = Math.min(
                    replicas.minInsyncReplicas(tp.topic()),
                    partition.registration().replicas().size());
            ControlRecordType type = marker.transactionResult() ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
            MemoryRecords records = MemoryRecords.withEndTransactionMarker(
                    System.currentTimeMillis(),
                    marker.producerId(),
                    marker.producerEpoch(),
                    new EndTransactionMarker(type, marker.coordinatorEpoch()));
            LogAppendInfo info = replicas.appendAsLeader(partition, records, AppendOrigin.COORDINATOR, minIsr);
            return replicas.awaitReplication(partition, info, minIsr, timeoutMs).thenApply(error -> {
                if (error == Errors.NONE && Topic.GROUP_METADATA_TOPIC_NAME.equals(tp.topic())) {
                    notifyOffsets(marker, tp, info.lastOffset());
                }
                return error;
            });
        } catch (ApiException e) {
            LOG.debug(
                    "{} marker of producer {} on {} refused: {}",
                    marker.transactionResult() ? "COMMIT" : "ABORT",
                    marker.producerId(),
                    tp,
                    e.getMessage());
            return CompletableFuture.completedFuture(Errors.forException(e));
        } catch (RuntimeException e) {
            LOG.warn(
                    "Writing a transaction marker of producer {} to {} failed: {}",
                    marker.producerId(),
                    tp,
                    e.toString());
            return CompletableFuture.completedFuture(Errors.UNKNOWN_SERVER_ERROR);
        }
    }

    private void notifyOffsets(WriteTxnMarkersRequestData.WritableTxnMarker marker, TopicPartition tp, long offset) {
        try {
            offsetsListener.onTransactionMarker(
                    tp, marker.producerId(), marker.producerEpoch(), marker.transactionResult(), offset);
        } catch (RuntimeException e) {
            LOG.warn(
                    "The group coordinator failed to apply the marker of producer {} on {}: {}",
                    marker.producerId(),
                    tp,
                    e.toString());
        }
    }
}
