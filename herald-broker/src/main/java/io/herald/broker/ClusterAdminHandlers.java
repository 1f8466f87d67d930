package io.herald.broker;

import io.herald.metadata.Features;
import io.herald.metadata.MetadataImage;
import io.herald.protocol.AdvertisedFeatures;
import io.herald.protocol.RequestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.UnregisterBrokerRequest;
import org.apache.kafka.common.requests.UpdateFeaturesRequest;

/**
 * Cluster-level admin on a broker: the features it reports in ApiVersions, and UpdateFeatures and UnregisterBroker,
 * which the controller decides (forwarded, answered once this broker's metadata shows the change, as Kafka does).
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

    private CompletableFuture<MetadataImage> afterChange(boolean changed, long offsetBefore) {
        if (!changed) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<MetadataImage> waiting = cache.await(image -> image.offset() > offsetBefore);
        return waiting.completeOnTimeout(null, MAX_VISIBILITY_WAIT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((image, error) -> cache.cancel(waiting));
    }
}
