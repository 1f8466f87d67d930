package io.herald.broker;

import io.herald.coordinator.GroupCoordinator;
import io.herald.coordinator.TransactionCoordinator;
import io.herald.coordinator.TxnMetadata;
import io.herald.coordinator.TxnState;
import io.herald.protocol.RequestContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The transaction APIs on the transaction coordinator (AddPartitionsToTxn client and broker forms, AddOffsetsToTxn,
 * EndTxn, DescribeTransactions, ListTransactions) and TxnOffsetCommit on the group coordinator.
 */
final class TransactionHandlers {
    private final TransactionCoordinator transactions;
    private final GroupCoordinator groups;
    private final TxnPartitionAdder adder;
    private final Predicate<String> topicExists;
    private final RequestAuthorizer auth;

    TransactionHandlers(
            TransactionCoordinator transactions,
            GroupCoordinator groups,
            TxnPartitionAdder adder,
            Predicate<String> topicExists,
            RequestAuthorizer auth) {
        this.transactions = transactions;
        this.groups = groups;
        this.adder = adder;
        this.topicExists = topicExists;
        this.auth = auth;
    }

    /** The error a coordinator future failed with (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...). */
    static Errors errorOf(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        Errors error = Errors.forException(cause);
        return error == Errors.UNKNOWN_SERVER_ERROR ? Errors.COORDINATOR_NOT_AVAILABLE : error;
    }

    // ---- AddPartitionsToTxn --------------------------------------------------------------------------------------

    CompletableFuture<ApiMessage> addPartitionsToTxn(RequestContext context, AbstractRequest request) {
        AddPartitionsToTxnRequestData data = ((AddPartitionsToTxnRequest) request).data();
        if (context.apiVersion() <= 3) {
            List<TopicPartition> partitions = AddPartitionsToTxnRequest.getPartitions(data.v3AndBelowTopics());
            Map<TopicPartition, Errors> denied = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                if (!auth.authorize(context, AclOperation.WRITE, ResourceType.TOPIC, tp.topic())) {
                    denied.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
                }
            }
            if (!denied.isEmpty()) {
                // As Kafka: the partitions the producer may not write fail, the others are not attempted.
                Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
                partitions.forEach(tp -> errors.put(tp, denied.getOrDefault(tp, Errors.OPERATION_NOT_ATTEMPTED)));
                return CompletableFuture.completedFuture(new AddPartitionsToTxnResponseData()
                        .setResultsByTopicV3AndBelow(AddPartitionsToTxnResponse.resultForTransaction(
                                        AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID, errors)
                                .topicResults()));
            }
            return addOne(
                            data.v3AndBelowTransactionalId(),
                            data.v3AndBelowProducerId(),
                            data.v3AndBelowProducerEpoch(),
                            false,
                            partitions,
                            false)
                    .thenApply(errors -> new AddPartitionsToTxnResponseData()
                            .setResultsByTopicV3AndBelow(AddPartitionsToTxnResponse.resultForTransaction(
                                            AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID, errors)
                                    .topicResults()));
        }
        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction t : data.transactions()) {
            List<TopicPartition> partitions = AddPartitionsToTxnRequest.getPartitions(t.topics());
            all.add(addOne(t.transactionalId(), t.producerId(), t.producerEpoch(), t.verifyOnly(), partitions, true)
                    .thenAccept(errors -> {
                        synchronized (response) {
                            response.resultsByTransaction()
                                    .add(AddPartitionsToTxnResponse.resultForTransaction(t.transactionalId(), errors));
                        }
                    }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> response);
    }

    private CompletableFuture<Map<TopicPartition, Errors>> addOne(
            String transactionalId,
            long producerId,
            short producerEpoch,
            boolean verifyOnly,
            List<TopicPartition> partitions,
            boolean fromBroker) {
        Map<TopicPartition, Errors> unknown = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            if (!topicExists.test(tp.topic())) {
                unknown.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
        if (!unknown.isEmpty()) {
            Map<TopicPartition, Errors> out = new LinkedHashMap<>();
            partitions.forEach(tp -> out.put(tp, unknown.getOrDefault(tp, Errors.OPERATION_NOT_ATTEMPTED)));
            return CompletableFuture.completedFuture(out);
        }
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(all(partitions, Errors.INVALID_REQUEST));
        }
        if (verifyOnly) {
            return transactions
                    .verifyPartitions(transactionalId, producerId, producerEpoch, Set.copyOf(partitions))
                    .exceptionally(e -> all(partitions, errorOf(e)));
        }
        return transactions
                .addPartitions(transactionalId, producerId, producerEpoch, Set.copyOf(partitions), fromBroker)
                .exceptionally(TransactionHandlers::errorOf)
                .thenApply(error -> all(partitions, error));
    }

    private static Map<TopicPartition, Errors> all(List<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> out = new LinkedHashMap<>();
        partitions.forEach(tp -> out.put(tp, error));
        return out;
    }

    // ---- AddOffsetsToTxn, EndTxn ---------------------------------------------------------------------------------

    CompletableFuture<ApiMessage> addOffsetsToTxn(RequestContext context, AbstractRequest request) {
        AddOffsetsToTxnRequestData data = ((AddOffsetsToTxnRequest) request).data();
        TopicPartition offsets =
                new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, groups.partitionFor(data.groupId()));
        return transactions
                .addPartitions(data.transactionalId(), data.producerId(), data.producerEpoch(), Set.of(offsets), false)
                .exceptionally(TransactionHandlers::errorOf)
                .thenApply(error -> new AddOffsetsToTxnResponseData().setErrorCode(error.code()));
    }

    CompletableFuture<ApiMessage> endTxn(RequestContext context, AbstractRequest request) {
        EndTxnRequestData data = ((EndTxnRequest) request).data();
        boolean tv2 = context.apiVersion() >= 5;
        return transactions
                .endTxn(data.transactionalId(), data.producerId(), data.producerEpoch(), data.committed(), tv2)
                .handle((result, error) -> {
                    EndTxnResponseData response = new EndTxnResponseData();
                    if (error != null) {
                        return response.setErrorCode(errorOf(error).code());
                    }
                    return response.setErrorCode(result.error().code())
                            .setProducerId(result.producerId())
                            .setProducerEpoch(result.producerEpoch());
                });
    }

    // ---- TxnOffsetCommit -----------------------------------------------------------------------------------------

    CompletableFuture<ApiMessage> txnOffsetCommit(RequestContext context, AbstractRequest request) {
        TxnOffsetCommitRequestData all = ((TxnOffsetCommitRequest) request).data();
        // Topics the principal may not read fail with TOPIC_AUTHORIZATION_FAILED; the others are committed.
        TxnOffsetCommitRequestData data = all.duplicate();
        TxnOffsetCommitRequestData denied = all.duplicate();
        data.topics().removeIf(t -> !auth.authorize(context, AclOperation.READ, ResourceType.TOPIC, t.name()));
        denied.topics().removeIf(t -> data.topics().stream()
                .anyMatch(kept -> kept.name().equals(t.name())));
        if (denied.topics().isEmpty()) {
            return commitAuthorized(data, context.apiVersion() >= 5);
        }
        TxnOffsetCommitResponseData refused = txnCommitError(denied, Errors.TOPIC_AUTHORIZATION_FAILED);
        if (data.topics().isEmpty()) {
            return CompletableFuture.completedFuture(refused);
        }
        return commitAuthorized(data, context.apiVersion() >= 5).thenApply(response -> {
            ((TxnOffsetCommitResponseData) response).topics().addAll(refused.topics());
            return response;
        });
    }

    private CompletableFuture<ApiMessage> commitAuthorized(TxnOffsetCommitRequestData data, boolean tv2) {
        CompletableFuture<Errors> added;
        if (tv2) {
            // Transaction version 2: the commit itself adds the group's offsets partition to the transaction.
            TopicPartition offsets =
                    new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, groups.partitionFor(data.groupId()));
            added = adder.add(data.transactionalId(), data.producerId(), data.producerEpoch(), offsets)
                    .thenApply(TransactionHandlers::forTxnOffsetCommit);
        } else {
            added = CompletableFuture.completedFuture(Errors.NONE);
        }
        return added.thenCompose(error -> {
            if (error != Errors.NONE) {
                return CompletableFuture.completedFuture(txnCommitError(data, error));
            }
            return groups.txnCommitOffsets(data)
                    .<ApiMessage>thenApply(r -> r)
                    .exceptionally(e -> txnCommitError(data, errorOf(e)));
        });
    }

    /** Errors of adding the offsets partition, as a TxnOffsetCommit client understands them. */
    private static Errors forTxnOffsetCommit(Errors error) {
        return switch (error) {
            case NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS ->
                Errors.COORDINATOR_LOAD_IN_PROGRESS;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            default -> error;
        };
    }

    private static TxnOffsetCommitResponseData txnCommitError(TxnOffsetCommitRequestData data, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : data.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic t =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : topic.partitions()) {
                t.partitions()
                        .add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(error.code()));
            }
            response.topics().add(t);
        }
        return response;
    }

    // ---- admin ---------------------------------------------------------------------------------------------------

    CompletableFuture<ApiMessage> describeTransactions(RequestContext context, AbstractRequest request) {
        DescribeTransactionsRequestData data = ((DescribeTransactionsRequest) request).data();
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
        List<CompletableFuture<DescribeTransactionsResponseData.TransactionState>> each = new ArrayList<>();
        for (String id : data.transactionalIds()) {
            if (!auth.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) {
                each.add(CompletableFuture.completedFuture(new DescribeTransactionsResponseData.TransactionState()
                        .setTransactionalId(id)
                        .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                        .setProducerId(-1)
                        .setProducerEpoch((short) -1)));
                continue;
            }
            // As Kafka, only the partitions of topics the principal may describe are shown.
            Predicate<String> visible =
                    topic -> auth.allowed(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
            each.add(transactions.describe(id).handle((m, error) -> describe(id, m, error, visible)));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            each.forEach(f -> response.transactionStates().add(f.join()));
            return response;
        });
    }

    private static DescribeTransactionsResponseData.TransactionState describe(
            String id, TxnMetadata m, Throwable error, Predicate<String> visible) {
        DescribeTransactionsResponseData.TransactionState state =
                new DescribeTransactionsResponseData.TransactionState().setTransactionalId(id);
        if (error != null || m == null) {
            Errors code = error != null ? errorOf(error) : Errors.TRANSACTIONAL_ID_NOT_FOUND;
            return state.setErrorCode(code.code()).setProducerId(-1).setProducerEpoch((short) -1);
        }
        state.setTransactionState(m.state().displayName())
                .setTransactionTimeoutMs(m.timeoutMs())
                .setTransactionStartTimeMs(m.startMs())
                .setProducerId(m.producerId())
                .setProducerEpoch(m.epoch());
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        m.partitions().stream().filter(tp -> visible.test(tp.topic())).forEach(tp -> byTopic.computeIfAbsent(
                        tp.topic(), t -> new ArrayList<>())
                .add(tp.partition()));
        byTopic.forEach((topic, partitions) -> {
            partitions.sort(null);
            state.topics()
                    .add(new DescribeTransactionsResponseData.TopicData()
                            .setTopic(topic)
                            .setPartitions(partitions));
        });
        return state;
    }

    CompletableFuture<ApiMessage> listTransactions(RequestContext context, AbstractRequest request) {
        ListTransactionsRequestData data = ((ListTransactionsRequest) request).data();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        String patternText = data.transactionalIdPattern();
        Pattern pattern = null;
        if (patternText != null && !patternText.isEmpty()) {
            try {
                pattern = Pattern.compile(patternText);
            } catch (PatternSyntaxException e) {
                return CompletableFuture.completedFuture(
                        response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
            }
        }
        Set<TxnState> states = new HashSet<>();
        for (String name : data.stateFilters()) {
            TxnState state = TxnState.fromName(name);
            if (state == null) {
                response.unknownStateFilters().add(name);
            } else {
                states.add(state);
            }
        }
        Pattern idPattern = pattern;
        long minDuration = context.apiVersion() >= 1 ? data.durationFilter() : -1;
        return transactions
                .list(states, new HashSet<>(data.producerIdFilters()), minDuration)
                .handle((listed, error) -> {
                    if (error != null) {
                        return response.setErrorCode(errorOf(error).code());
                    }
                    if (listed.loading()) {
                        response.setErrorCode(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
                    }
                    Map<String, TxnMetadata> sorted = new TreeMap<>();
                    listed.transactions().forEach(m -> sorted.put(m.transactionalId(), m));
                    sorted.values().stream()
                            .filter(m -> idPattern == null
                                    || idPattern.matcher(m.transactionalId()).matches())
                            // Only the ids the principal may describe are listed (Kafka's filter, no denial logged).
                            .filter(m -> auth.allowed(
                                    context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, m.transactionalId()))
                            .forEach(m -> response.transactionStates()
                                    .add(new ListTransactionsResponseData.TransactionState()
                                            .setTransactionalId(m.transactionalId())
                                            .setProducerId(m.producerId())
                                            .setTransactionState(m.state().displayName())));
                    return response;
                });
    }
}
