package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.protocol.RequestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.UnregisterBrokerRequest;
import org.apache.kafka.common.requests.UpdateFeaturesRequest;

/**
 * CreateTopics and DeleteTopics on a broker: forwarded to the active controller (which decides), then answered once
 * this broker's own metadata shows the change, so a client that creates a topic and immediately asks this broker about
 * it finds it. The wait is bounded by the request's timeout.
 */
final class TopicAdminHandlers {
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;
    private static final short CREATE_TOPICS_VERSION = 7;
    private static final short DELETE_TOPICS_VERSION = 6;
    private static final short CREATE_PARTITIONS_VERSION = 3;
    private static final byte BROKER_LOGGER = 8;

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;
    private final BrokerLoggerConfigs loggers;

    TopicAdminHandlers(
            ControllerChannel channel, MetadataCache cache, long requestTimeoutMs, BrokerLoggerConfigs loggers) {
        this.loggers = loggers;
        this.channel = channel;
        this.cache = cache;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    CompletableFuture<ApiMessage> createTopics(RequestContext context, AbstractRequest request) {
        CreateTopicsRequestData data = ((CreateTopicsRequest) request).data();
        long timeoutMs = boundedTimeout(data.timeoutMs());
        // Forwarded at the newest version whatever the client's, so the answer carries topic ids to wait for.
        return channel.<CreateTopicsResponseData>send(ApiKeys.CREATE_TOPICS, CREATE_TOPICS_VERSION, data, timeoutMs)
                .thenCompose(response -> {
                    if (data.validateOnly()) {
                        return CompletableFuture.completedFuture(response);
                    }
                    Map<String, Uuid> created = new HashMap<>();
                    response.topics().forEach(t -> {
                        if (t.errorCode() == Errors.NONE.code()) {
                            created.put(t.name(), t.topicId());
                        }
                    });
                    return visible(image -> created.entrySet().stream().allMatch(e -> image.topic(e.getKey())
                                    .map(t -> t.id().equals(e.getValue()))
                                    .orElse(false)))
                            .thenApply(x -> response);
                });
    }

    CompletableFuture<ApiMessage> deleteTopics(RequestContext context, AbstractRequest request) {
        DeleteTopicsRequestData data = ((DeleteTopicsRequest) request).data();
        long timeoutMs = boundedTimeout(data.timeoutMs());
        // Forwarded at the newest version (names become name entries) so the answer carries topic ids.
        DeleteTopicsRequestData forwarded = new DeleteTopicsRequestData().setTimeoutMs(data.timeoutMs());
        forwarded.topics().addAll(data.topics());
        data.topicNames()
                .forEach(name -> forwarded.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(name)));
        return channel.<DeleteTopicsResponseData>send(
                        ApiKeys.DELETE_TOPICS, DELETE_TOPICS_VERSION, forwarded, timeoutMs)
                .thenCompose(response -> {
                    var deleted = response.responses().stream()
                            .filter(t -> t.errorCode() == Errors.NONE.code())
                            .map(DeleteTopicsResponseData.DeletableTopicResult::topicId)
                            .toList();
                    return visible(image -> deleted.stream()
                                    .noneMatch(id -> image.topicsById().containsKey(id)))
                            .thenApply(x -> response);
                });
    }

    CompletableFuture<ApiMessage> createPartitions(RequestContext context, AbstractRequest request) {
        CreatePartitionsRequestData data = ((CreatePartitionsRequest) request).data();
        long timeoutMs = boundedTimeout(data.timeoutMs());
        return channel.<CreatePartitionsResponseData>send(
                        ApiKeys.CREATE_PARTITIONS, CREATE_PARTITIONS_VERSION, data, timeoutMs)
                .thenCompose(response -> {
                    if (data.validateOnly()) {
                        return CompletableFuture.completedFuture(response);
                    }
                    Map<String, Integer> grown = new HashMap<>();
                    data.topics().forEach(t -> grown.put(t.name(), t.count()));
                    response.results().stream()
                            .filter(r -> r.errorCode() != Errors.NONE.code())
                            .forEach(r -> grown.remove(r.name()));
                    return visible(image -> grown.entrySet().stream().allMatch(e -> image.topic(e.getKey())
                                    .map(t -> t.partitions().size() >= e.getValue())
                                    .orElse(true)))
                            .thenApply(x -> response);
                });
    }

    CompletableFuture<ApiMessage> incrementalAlterConfigs(RequestContext context, AbstractRequest request) {
        IncrementalAlterConfigsRequestData data = ((IncrementalAlterConfigsRequest) request).data();
        // Broker loggers are this broker's own business (Kafka changes them locally); the rest goes to the controller.
        var local = new IncrementalAlterConfigsResponseData();
        var forwarded = new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        for (var resource : data.resources()) {
            if (resource.resourceType() == BROKER_LOGGER) {
                local.responses().add(loggers.alter(resource, data.validateOnly()));
            } else {
                forwarded.add(resource.duplicate());
            }
        }
        if (forwarded.isEmpty()) {
            return CompletableFuture.completedFuture(local);
        }
        if (!local.responses().isEmpty()) {
            data = data.duplicate().setResources(forwarded);
        }
        return forward(data).thenApply(response -> {
            ((IncrementalAlterConfigsResponseData) response).responses().addAll(local.responses());
            return response;
        });
    }

    private CompletableFuture<ApiMessage> forward(IncrementalAlterConfigsRequestData data) {
        long before = cache.image().offset();
        return channel.<IncrementalAlterConfigsResponseData>send(
                        ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 1, data, requestTimeoutMs)
                .thenCompose(response -> {
                    boolean changed = !data.validateOnly()
                            && response.responses().stream().anyMatch(r -> r.errorCode() == Errors.NONE.code());
                    return afterChange(changed, before).thenApply(x -> response);
                });
    }

    CompletableFuture<ApiMessage> alterConfigs(RequestContext context, AbstractRequest request) {
        AlterConfigsRequestData data = ((AlterConfigsRequest) request).data();
        long before = cache.image().offset();
        return channel.<AlterConfigsResponseData>send(ApiKeys.ALTER_CONFIGS, (short) 2, data, requestTimeoutMs)
                .thenCompose(response -> {
                    boolean changed = !data.validateOnly()
                            && response.responses().stream().anyMatch(r -> r.errorCode() == Errors.NONE.code());
                    return afterChange(changed, before).thenApply(x -> response);
                });
    }

    /** UpdateFeatures is decided by the controller; answered once this broker's image has the new levels. */
    CompletableFuture<ApiMessage> updateFeatures(RequestContext context, AbstractRequest request) {
        UpdateFeaturesRequestData data = ((UpdateFeaturesRequest) request).data();
        long before = cache.image().offset();
        return channel.<UpdateFeaturesResponseData>send(
                        ApiKeys.UPDATE_FEATURES, (short) 1, data, boundedTimeout(data.timeoutMs()))
                .thenCompose(response -> {
                    boolean changed = !data.validateOnly()
                            && !data.featureUpdates().isEmpty()
                            && response.errorCode() == Errors.NONE.code();
                    return afterChange(changed, before).thenApply(x -> response);
                });
    }

    /** UnregisterBroker is the controller's to decide; answered once this broker's image no longer has the broker. */
    CompletableFuture<ApiMessage> unregisterBroker(RequestContext context, AbstractRequest request) {
        UnregisterBrokerRequestData data = ((UnregisterBrokerRequest) request).data();
        return channel.<UnregisterBrokerResponseData>send(ApiKeys.UNREGISTER_BROKER, (short) 0, data, requestTimeoutMs)
                .thenCompose(response -> response.errorCode() != Errors.NONE.code()
                        ? CompletableFuture.completedFuture(response)
                        : visible(image -> !image.brokers().containsKey(data.brokerId()))
                                .thenApply(x -> response));
    }

    /** DescribeQuorum is the controllers' to answer: forwarded, then trimmed to what the client's version carries. */
    CompletableFuture<ApiMessage> describeQuorum(RequestContext context, AbstractRequest request) {
        return channel.<DescribeQuorumResponseData>send(
                        ApiKeys.DESCRIBE_QUORUM,
                        (short) 2,
                        new DescribeQuorumRequestData()
                                .setTopics(
                                        ((DescribeQuorumRequest) request).data().topics()),
                        requestTimeoutMs)
                .thenApply(response -> {
                    if (request.version() < 2) {
                        response.nodes().clear();
                    }
                    return response;
                });
    }

    /** A committed change lands beyond the offset this broker had when it forwarded the request. */
    private CompletableFuture<MetadataImage> afterChange(boolean changed, long offsetBefore) {
        return changed ? visible(image -> image.offset() > offsetBefore) : CompletableFuture.completedFuture(null);
    }

    private long boundedTimeout(int requestedMs) {
        return requestedMs > 0 ? Math.min(requestedMs, requestTimeoutMs) : requestTimeoutMs;
    }

    private CompletableFuture<MetadataImage> visible(java.util.function.Predicate<MetadataImage> condition) {
        CompletableFuture<MetadataImage> waiting = cache.await(condition);
        return waiting.completeOnTimeout(null, MAX_VISIBILITY_WAIT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((image, error) -> cache.cancel(waiting));
    }
}
