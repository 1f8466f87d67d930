package io.herald.broker;

import io.herald.metadata.Features;
import io.herald.metadata.MetadataImage;
import io.herald.protocol.AdvertisedFeatures;
import io.herald.protocol.RequestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.apache.kafka.common.requests.UnregisterBrokerRequest;
import org.apache.kafka.common.requests.UpdateFeaturesRequest;

/**
 * Cluster-level admin on a broker: the features it reports in ApiVersions, client quotas as its metadata holds them,
 * and UpdateFeatures, UnregisterBroker and AlterClientQuotas, which the controller decides (forwarded, answered once
 * this broker's metadata shows the change, as Kafka does).
 */
final class ClusterAdminHandlers {
    private static final long MAX_VISIBILITY_WAIT_MS = 10_000;

    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final long requestTimeoutMs;

    ClusterAdminHandlers(ControllerChannel channel, MetadataCache cache, long requestTimeoutMs) {
        this.channel = channel;
        this.cache = cache;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    AdvertisedFeatures features() {
        MetadataImage image = cache.image();
        Map<String, AdvertisedFeatures.Range> supported = new HashMap<>();
        Features.supportedFeatures()
                .forEach((name, range) -> supported.put(name, new AdvertisedFeatures.Range(range.min(), range.max())));
        return new AdvertisedFeatures(supported, Features.finalized(image), Math.max(0, image.offset()));
    }

    CompletableFuture<ApiMessage> updateFeatures(RequestContext context, AbstractRequest request) {
        long before = cache.image().offset();
        var data = ((UpdateFeaturesRequest) request).data();
        return channel.<UpdateFeaturesResponseData>send(
                        ApiKeys.UPDATE_FEATURES, request.version(), data, requestTimeoutMs)
                .thenCompose(response -> {
                    boolean changed = !data.validateOnly() && response.errorCode() == Errors.NONE.code();
                    return afterChange(changed, before).thenApply(x -> (ApiMessage) response);
                });
    }

    CompletableFuture<ApiMessage> unregisterBroker(RequestContext context, AbstractRequest request) {
        long before = cache.image().offset();
        var data = ((UnregisterBrokerRequest) request).data();
        return channel.<UnregisterBrokerResponseData>send(ApiKeys.UNREGISTER_BROKER, (short) 0, data, requestTimeoutMs)
                .thenCompose(response -> afterChange(response.errorCode() == Errors.NONE.code(), before)
                        .thenApply(x -> (ApiMessage) response));
    }

    /**
     * DescribeClientQuotas from this broker's image. A component matches an entity of its type by exact name
     * (match type 0), as the type's default (1), or with any name, default included (2); strict filters match only
     * entities of exactly the filter's types.
     */
    CompletableFuture<ApiMessage> describeClientQuotas(RequestContext context, AbstractRequest request) {
        DescribeClientQuotasRequestData data = ((DescribeClientQuotasRequest) request).data();
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData();
        cache.image().clientQuotas().forEach((entity, values) -> {
            if (matches(entity, data)) {
                var entry = new DescribeClientQuotasResponseData.EntryData();
                entity.forEach((type, name) -> entry.entity()
                        .add(new DescribeClientQuotasResponseData.EntityData()
                                .setEntityType(type)
                                .setEntityName(name)));
                // In a default-sized HashMap's order, as Kafka's broker sends them: tools print them in that order.
                Map<String, Double> ordered = new HashMap<>();
                values.forEach(ordered::put);
                ordered.forEach((key, value) -> entry.values()
                        .add(new DescribeClientQuotasResponseData.ValueData()
                                .setKey(key)
                                .setValue(value)));
                response.entries().add(entry);
            }
        });
        return CompletableFuture.completedFuture(response);
    }

    private static boolean matches(Map<String, String> entity, DescribeClientQuotasRequestData filter) {
        if (filter.strict() && entity.size() != filter.components().size()) {
            return false;
        }
        for (DescribeClientQuotasRequestData.ComponentData component : filter.components()) {
            if (!entity.containsKey(component.entityType())) {
                return false;
            }
            String name = entity.get(component.entityType());
            boolean match =
                    switch (component.matchType()) {
                        case 0 -> name != null && name.equals(component.match());
                        case 1 -> name == null;
                        default -> true;
                    };
            if (!match) {
                return false;
            }
        }
        return true;
    }

    CompletableFuture<ApiMessage> alterClientQuotas(RequestContext context, AbstractRequest request) {
        long before = cache.image().offset();
        var data = ((AlterClientQuotasRequest) request).data();
        return channel.<AlterClientQuotasResponseData>send(
                        ApiKeys.ALTER_CLIENT_QUOTAS, (short) 1, data, requestTimeoutMs)
                .thenCompose(response -> {
                    boolean changed = !data.validateOnly()
                            && response.entries().stream().anyMatch(e -> e.errorCode() == Errors.NONE.code());
                    return afterChange(changed, before).thenApply(x -> (ApiMessage) response);
                });
    }

    /** Reassignments complete as soon as they are committed (data is not moved yet), so none is ever ongoing. */
    CompletableFuture<ApiMessage> listPartitionReassignments(RequestContext context, AbstractRequest request) {
        return CompletableFuture.completedFuture(
                new ListPartitionReassignmentsResponseData().setErrorCode(Errors.NONE.code()));
    }

    CompletableFuture<ApiMessage> alterPartitionReassignments(RequestContext context, AbstractRequest request) {
        long before = cache.image().offset();
        var data = ((AlterPartitionReassignmentsRequest) request).data();
        return channel.<AlterPartitionReassignmentsResponseData>send(
                        ApiKeys.ALTER_PARTITION_REASSIGNMENTS, (short) 1, data, requestTimeoutMs)
                .thenCompose(response -> {
                    boolean changed = response.errorCode() == Errors.NONE.code()
                            && response.responses().stream()
                                    .flatMap(t -> t.partitions().stream())
                                    .anyMatch(p -> p.errorCode() == Errors.NONE.code());
                    return afterChange(changed, before).thenApply(x -> (ApiMessage) response);
                });
    }

    private CompletableFuture<MetadataImage> afterChange(boolean changed, long offsetBefore) {
        if (!changed) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<MetadataImage> waiting = cache.await(image -> image.offset() > offsetBefore);
        return waiting.completeOnTimeout(null, MAX_VISIBILITY_WAIT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((image, error) -> cache.cancel(waiting));
    }
}
