package io.herald.protocol;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;

/** Answers ApiVersions from the listener's registry, which is always the truth about what is served. */
public final class ApiVersionsHandler implements ApiHandler {
    private final Supplier<ApiRegistry> registry;

    /** The registry is supplied lazily because it contains this handler. */
    public ApiVersionsHandler(Supplier<ApiRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setErrorCode(Errors.NONE.code())
                .setApiKeys(registry.get().apiVersions());
        return CompletableFuture.completedFuture(response);
    }
}
