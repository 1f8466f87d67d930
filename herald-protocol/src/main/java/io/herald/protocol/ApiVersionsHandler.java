package io.herald.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Answers ApiVersions from the listener's registry, which is always the truth about what is served; a node that has
 * feature levels (KIP-584) adds its supported and finalized features for the request's version.
 */
public final class ApiVersionsHandler implements ApiHandler {
    private final Supplier<ApiRegistry> registry;
    private final BiConsumer<Short, ApiVersionsResponseData> features;

    /** The registry is supplied lazily because it contains this handler. */
    public ApiVersionsHandler(Supplier<ApiRegistry> registry) {
        this(registry, (version, response) -> {});
    }

    /** {@code features} fills a response's feature fields for the request's version. */
    public ApiVersionsHandler(Supplier<ApiRegistry> registry, BiConsumer<Short, ApiVersionsResponseData> features) {
        this.registry = registry;
        this.features = features;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setErrorCode(Errors.NONE.code())
                .setApiKeys(registry.get().apiVersions());
        features.accept(context.apiVersion(), response);
        return CompletableFuture.completedFuture(response);
    }
}
