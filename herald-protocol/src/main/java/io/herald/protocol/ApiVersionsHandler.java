package io.herald.protocol;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;

/** Answers ApiVersions from the listener's registry, which is always the truth about what is served. */
public final class ApiVersionsHandler implements ApiHandler {
    private final Supplier<ApiRegistry> registry;
    private final Supplier<AdvertisedFeatures> features;

    /** The registry is supplied lazily because it contains this handler. */
    public ApiVersionsHandler(Supplier<ApiRegistry> registry) {
        this(registry, () -> AdvertisedFeatures.NONE);
    }

    /** As above, also reporting the node's supported and the cluster's finalized features (read per request). */
    public ApiVersionsHandler(Supplier<ApiRegistry> registry, Supplier<AdvertisedFeatures> features) {
        this.registry = registry;
        this.features = features;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setErrorCode(Errors.NONE.code())
                .setApiKeys(registry.get().apiVersions());
        // Tagged fields of v3+: older versions simply do not serialize them.
        AdvertisedFeatures advertised = features.get();
        advertised.supported().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> response.supportedFeatures()
                        .add(new ApiVersionsResponseData.SupportedFeatureKey()
                                .setName(e.getKey())
                                .setMinVersion(e.getValue().min())
                                .setMaxVersion(e.getValue().max())));
        advertised.finalized().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> response.finalizedFeatures()
                        .add(new ApiVersionsResponseData.FinalizedFeatureKey()
                                .setName(e.getKey())
                                .setMinVersionLevel(e.getValue())
                                .setMaxVersionLevel(e.getValue())));
        response.setFinalizedFeaturesEpoch(advertised.epoch());
        return CompletableFuture.completedFuture(response);
    }
}
