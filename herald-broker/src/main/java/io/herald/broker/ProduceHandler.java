package io.herald.broker;

import io.herald.protocol.ApiHandler;
import io.herald.protocol.CloseConnectionException;
import io.herald.protocol.RequestContext;
import io.herald.storage.AppendOrigin;
import io.herald.storage.LogAppendInfo;
import io.herald.storage.RecordValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequiredAcksException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
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
    private final TxnProduceGate transactions;

    ProduceHandler(ReplicaManager replicas, TxnProduceGate transactions) {
        this.replicas = replicas;
        this.transactions = transactions;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ProduceRequestData data = ((ProduceRequest) request).data();
        short acks = data.acks();
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<Void>> replicated = new ArrayList<>();
        Map<Integer, LeaderHint> hints = new ConcurrentSkipListMap<>();
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse()
                    .setName(topic.name())
                    .setTopicId(topic.topicId());
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                PartitionProduceResponse result = new PartitionProduceResponse()
                        .setIndex(partition.index())
                        .setBaseOffset(-1)
                        .setLogAppendTimeMs(-1)
                        .setLogStartOffset(-1);
                CompletableFuture<Errors> waiting = produce(
                        context, data.transactionalId(), topic, partition, acks, data.timeoutMs(), result, hints);
                if (waiting != null) {
                    replicated.add(waiting.thenAccept(error -> {
                        if (error != Errors.NONE) {
                            result.setErrorCode(error.code()).setErrorMessage(error.message());
                        }
                    }));
                }
                topicResponse.partitionResponses().add(result);
            }
            response.responses().add(topicResponse);
        }
        if (acks == 0) {
            return replicated.isEmpty()
                    ? CompletableFuture.completedFuture(closeOnError(response))
                    : CompletableFuture.allOf(replicated.toArray(CompletableFuture[]::new))
                            .thenApply(done -> closeOnError(response));
        }
        if (replicated.isEmpty()) {
            return CompletableFuture.completedFuture(withHints(response, hints));
        }
        return CompletableFuture.allOf(replicated.toArray(CompletableFuture[]::new))
                .thenApply(done -> withHints(response, hints));
    }

    private static ProduceResponseData withHints(ProduceResponseData response, Map<Integer, LeaderHint> hints) {
        hints.values().forEach(h -> response.nodeEndpoints()
                .add(new ProduceResponseData.NodeEndpoint()
                        .setNodeId(h.leaderId())
                        .setHost(h.endpoint().host())
                        .setPort(h.endpoint().port())
                        .setRack(h.rack())));
        return response;
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

    /**
     * Appends one partition's batches and fills {@code result}; for acks=all returns what completes once the ISR has
     * them (null when there is nothing to wait for).
     */
    private CompletableFuture<Errors> produce(
            RequestContext context,
            String transactionalId,
            ProduceRequestData.TopicProduceData topic,
            ProduceRequestData.PartitionProduceData data,
            short acks,
            int timeoutMs,
            PartitionProduceResponse result,
            Map<Integer, LeaderHint> hints) {
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
                result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
                return null;
            }
            Partition partition = replicas.leaderPartition(new TopicPartition(name, data.index()));
            // Kafka 4.x caps min.insync.replicas at the replication factor (its "effective" min ISR), so a topic
            // whose min.insync.replicas exceeds its replica count still takes acks=all writes.
            int minIsr = acks == -1
                    ? Math.min(
                            replicas.minInsyncReplicas(name),
                            partition.registration().replicas().size())
                    : 0;
            MemoryRecords records = (MemoryRecords) data.records();
            if (TxnProduceGate.applies(transactionalId, context.apiVersion(), records)) {
                // Transaction version 2: the partition joins the producer's transaction before its first batch lands.
                return transactions
                        .admit(transactionalId, partition, records, error -> {
                            if (error != Errors.NONE) {
                                result.setErrorCode(error.code()).setErrorMessage(error.message());
                                return null;
                            }
                            return append(
                                    context, topic, data, partition, records, acks, minIsr, timeoutMs, result, hints);
                        })
                        .thenCompose(
                                waiting -> waiting == null ? CompletableFuture.completedFuture(Errors.NONE) : waiting);
            }
            return append(context, topic, data, partition, records, acks, minIsr, timeoutMs, result, hints);
        } catch (RuntimeException e) {
            return failed(context, topic, data, result, hints, e);
        }
    }

    /** Appends and fills {@code result}; for acks=all returns what completes once the ISR has the batches. */
    private CompletableFuture<Errors> append(
            RequestContext context,
            ProduceRequestData.TopicProduceData topic,
            ProduceRequestData.PartitionProduceData data,
            Partition partition,
            MemoryRecords records,
            short acks,
            int minIsr,
            int timeoutMs,
            PartitionProduceResponse result,
            Map<Integer, LeaderHint> hints) {
        try {
            LogAppendInfo info = replicas.appendAsLeader(partition, records, AppendOrigin.CLIENT, minIsr);
            partition.metrics().produced(info.duplicate() ? 0 : info.recordCount(), records.sizeInBytes(), false);
            result.setBaseOffset(info.firstOffset())
                    .setLogAppendTimeMs(info.logAppendTimeMs())
                    .setLogStartOffset(info.logStartOffset());
            if (acks == -1 && info.lastOffset() >= 0) {
                // A retried duplicate waits too: its first send may not have reached the ISR yet.
                return replicas.awaitReplication(partition, info, minIsr, timeoutMs);
            }
            return null;
        } catch (RuntimeException e) {
            return failed(context, topic, data, result, hints, e);
        }
    }

    private CompletableFuture<Errors> failed(
            RequestContext context,
            ProduceRequestData.TopicProduceData topic,
            ProduceRequestData.PartitionProduceData data,
            PartitionProduceResponse result,
            Map<Integer, LeaderHint> hints,
            RuntimeException failure) {
        // Under the topic when it is hosted here, else (unknown, or named by id) under all topics only.
        replicas.topicMetrics().hostedOrAll(topic.name()).produced(0, 0, true);
        if (failure instanceof ApiException e) {
            result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            if (e instanceof NotLeaderOrFollowerException && context.apiVersion() >= 10) {
                hint(context, topic, data.index(), result, hints);
            }
        } else if (failure instanceof RecordValidationException e) {
            e.recordErrors().forEach(r -> result.recordErrors()
                    .add(new ProduceResponseData.BatchIndexAndErrorMessage()
                            .setBatchIndex(r.batchIndex())
                            .setBatchIndexErrorMessage(r.message())));
            result.setErrorCode(Errors.forException(e.error()).code())
                    .setErrorMessage(e.error().getMessage());
        } else {
            LOG.warn(
                    "Produce to {}-{} from {} failed: {}",
                    topic.name(),
                    data.index(),
                    context.clientId(),
                    failure.toString());
            result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setErrorMessage(failure.getMessage());
        }
        return null;
    }

    private void hint(
            RequestContext context,
            ProduceRequestData.TopicProduceData topic,
            int partition,
            PartitionProduceResponse result,
            Map<Integer, LeaderHint> hints) {
        String name = topic.name();
        if (name == null || name.isEmpty()) {
            try {
                name = replicas.topicName(topic.topicId());
            } catch (ApiException e) {
                return;
            }
        }
        replicas.leaderHint(new TopicPartition(name, partition), context.listenerName())
                .ifPresent(h -> {
                    result.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch()
                            .setLeaderId(h.leaderId())
                            .setLeaderEpoch(h.leaderEpoch()));
                    hints.put(h.leaderId(), h);
                });
    }
}
