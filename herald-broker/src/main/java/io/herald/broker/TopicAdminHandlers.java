package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.protocol.RequestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;

/**
 * CreateTopics and DeleteTopics on a broker: forwarded to the active controller (which decides), then answered once
 * this broker's own metadata shows the change, so a client that creates a topic and immediately asks this broker about
 * it finds it. The wait is bounded by the request's timeout.
 */
final class TopicAdminHandlers {
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;
    private static final short CREATE_TOPICS_VERSION = 7;
    private static final short DELETE_TOPICS_VERSION = 6;

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;

    TopicAdminHandlers(ControllerChannel channel, MetadataCache cache, long requestTimeoutMs) {
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

    private long boundedTimeout(int requestedMs) {
        return requestedMs > 0 ? Math.min(requestedMs, requestTimeoutMs) : requestTimeoutMs;
    }

    private CompletableFuture<MetadataImage> visible(java.util.function.Predicate<MetadataImage> condition) {
        CompletableFuture<MetadataImage> waiting = cache.await(condition);
        return waiting.completeOnTimeout(null, MAX_VISIBILITY_WAIT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((image, error) -> cache.cancel(waiting));
    }
}
