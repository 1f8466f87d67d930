package io.herald.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestAndSize;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a request frame with kafka-clients' message classes, routes it to the registered handler and encodes the
 * response. Errors raised by a handler become the request's own error response; frames that cannot be served (unknown
 * API key, API or version not served) are refused so the connection closes, except ApiVersions, which always answers
 * (KIP-511: a too-new ApiVersions gets a v0 answer with UNSUPPORTED_VERSION and the supported ranges).
 */
public final class RequestDispatcher implements RequestProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    private static final int HEADER_PREFIX_BYTES = 4;

    private final ApiRegistry registry;
    private final RequestObserver observer;
    private final RequestThrottle throttle;

    public RequestDispatcher(ApiRegistry registry) {
        this(registry, RequestObserver.NONE);
    }

    public RequestDispatcher(ApiRegistry registry, RequestObserver observer) {
        this(registry, observer, RequestThrottle.NONE);
    }

    /** With a quota hook: each response carries the throttle time it answers, and the connection is muted for it. */
    public RequestDispatcher(ApiRegistry registry, RequestObserver observer, RequestThrottle throttle) {
        this.registry = registry;
        this.observer = observer;
        this.throttle = throttle;
    }

    @Override
    public CompletableFuture<Send> process(ConnectionInfo connection, ByteBuffer frame) {
        long receivedNanos = System.nanoTime();
        int requestBytes = frame.remaining();
        if (frame.remaining() < HEADER_PREFIX_BYTES) {
            throw new InvalidRequestException("request frame of " + frame.remaining() + " bytes has no header");
        }
        short apiKeyId = frame.getShort(frame.position());
        short version = frame.getShort(frame.position() + 2);
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new InvalidRequestException("unknown API key " + apiKeyId);
        }
        ApiKeys key = ApiKeys.forId(apiKeyId);
        ApiRegistry.Entry entry = registry.lookup(key)
                .orElseThrow(() -> new InvalidRequestException(
                        key.name + " is not served on listener " + connection.listenerName()));
        if (!entry.supports(version)) {
            if (key == ApiKeys.API_VERSIONS) {
                return CompletableFuture.completedFuture(unsupportedApiVersions(frame));
            }
            throw new InvalidRequestException("unsupported version " + version + " of " + key.name + " (served: "
                    + entry.minVersion() + " to " + entry.maxVersion() + ")");
        }
        RequestHeader header;
        AbstractRequest request;
        try {
            header = RequestHeader.parse(frame);
            RequestAndSize parsed = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(frame));
            request = parsed.request;
        } catch (RuntimeException e) {
            throw new InvalidRequestException(
                    "malformed " + key.name + " v" + version + " request: " + e.getMessage(), e);
        }
        RequestContext context = new RequestContext(header, connection, System.nanoTime());
        CompletableFuture<ApiMessage> response;
        observer.received();
        long handlerStartNanos = System.nanoTime();
        try {
            response = entry.handler().handle(context, request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        long handlerNanos = System.nanoTime() - handlerStartNanos;
        AbstractRequest served = request;
        return delayedForOldClients(response.handle((body, error) -> {
            observer.completed(
                    key,
                    version,
                    System.nanoTime() - receivedNanos,
                    error == null ? null : Errors.forException(unwrap(error)));
            ApiMessage message = body;
            if (error != null && unwrap(error) instanceof CloseConnectionException close) {
                throw close;
            }
            if (error != null) {
                message = errorResponse(context, served, unwrap(error));
            }
            try {
                Send send = message == null
                        ? null
                        : SendBuilder.buildResponseSend(header.toResponseHeader(), message, version);
                int throttleMs = throttle.throttleMs(
                        context,
                        served,
                        new RequestThrottle.Use(requestBytes, send == null ? -1 : send.size(), handlerNanos));
                if (throttleMs <= 0) {
                    return send;
                }
                if (message != null && ThrottleTimes.set(message, throttleMs)) {
                    send = SendBuilder.buildResponseSend(header.toResponseHeader(), message, version);
                }
                return new ThrottledSend(send, throttleMs, clientThrottles(served, version));
            } catch (RuntimeException e) {
                LOG.warn(
                        "Cannot encode the {} v{} response to client {}: {}",
                        key.name,
                        version,
                        context.clientId(),
                        e.toString());
                throw e;
            }
        }));
    }

    /**
     * A client older than KIP-219 does not wait out a throttle itself: as Kafka does, its throttled response is held
     * back for the throttle time instead of being sent at once (the connection's later responses wait behind it).
     */
    private static CompletableFuture<Send> delayedForOldClients(CompletableFuture<Send> response) {
        return response.thenCompose(send -> {
            if (send instanceof ThrottledSend throttled && !throttled.clientThrottles()) {
                return CompletableFuture.supplyAsync(
                        throttled::response,
                        CompletableFuture.delayedExecutor(
                                throttled.throttleMs(), TimeUnit.MILLISECONDS, Runnable::run));
            }
            return CompletableFuture.completedFuture(send);
        });
    }

    /** Whether this version of the API's client waits out {@code throttle_time_ms} itself (KIP-219). */
    private static boolean clientThrottles(AbstractRequest request, short version) {
        try {
            return request.getErrorResponse(0, new UnknownServerException("throttle check"))
                    .shouldClientThrottle(version);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static ApiMessage errorResponse(RequestContext context, AbstractRequest request, Throwable error) {
        if (!(error instanceof ApiException)) {
            LOG.warn(
                    "{} v{} from client {} failed unexpectedly: {}",
                    context.apiKey().name,
                    context.apiVersion(),
                    context.clientId(),
                    String.valueOf(error));
            LOG.debug("{} failure detail", context.apiKey().name, error);
        }
        return request.getErrorResponse(0, error).data();
    }

    private Send unsupportedApiVersions(ByteBuffer frame) {
        int correlationId = frame.getInt(frame.position() + 4);
        ApiVersionsResponseData body = new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(registry.apiVersions());
        return SendBuilder.buildResponseSend(new ResponseHeader(correlationId, (short) 0), body, (short) 0);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
