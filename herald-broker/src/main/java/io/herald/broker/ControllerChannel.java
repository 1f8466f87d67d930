package io.herald.broker;

import io.herald.network.ClientSecurity;
import io.herald.network.ProtocolClient;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * The broker's line to the controller quorum. Sends a request to the controller believed active; on a network error
 * or NOT_CONTROLLER it tries the next voter, backing off briefly, until the deadline. Requests are Kafka protocol
 * messages on the controller listener, as in KRaft.
 */
public final class ControllerChannel implements AutoCloseable {
    private static final long RETRY_BACKOFF_MS = 100;

    private final List<InetSocketAddress> controllers;
    private final ProtocolClient client;
    private final ScheduledExecutorService retries;
    private final AtomicInteger current = new AtomicInteger();

    public ControllerChannel(int nodeId, List<InetSocketAddress> controllers) {
        this(nodeId, controllers, ClientSecurity.PLAINTEXT);
    }

    /** Connects to the controller listener secured as {@code security} says (TLS, SASL). */
    public ControllerChannel(int nodeId, List<InetSocketAddress> controllers, ClientSecurity security) {
        this.controllers = List.copyOf(controllers);
        this.client = new ProtocolClient("broker-" + nodeId, security);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "herald-controller-channel");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Sends until a controller answers without NOT_CONTROLLER, or the timeout passes; completes with the body. */
    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> CompletableFuture<T> send(
            ApiKeys key, short version, ApiMessage request, long timeoutMs) {
        CompletableFuture<AbstractResponse> result = new CompletableFuture<>();
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        attempt(key, version, request, deadlineNanos, result);
        return result.thenApply(response -> (T) response.data());
    }

    private void attempt(
            ApiKeys key,
            short version,
            ApiMessage request,
            long deadlineNanos,
            CompletableFuture<AbstractResponse> result) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMs <= 0) {
            result.completeExceptionally(
                    new TimeoutException(key.name + " found no active controller among " + controllers));
            return;
        }
        int index = current.get();
        InetSocketAddress target = controllers.get(Math.floorMod(index, controllers.size()));
        client.send(target, key, version, request, remainingMs).whenComplete((response, error) -> {
            boolean retry;
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                retry = !(cause instanceof java.util.concurrent.TimeoutException)
                        || cause instanceof NotControllerException;
            } else {
                retry = response.errorCounts().containsKey(Errors.NOT_CONTROLLER);
            }
            if (!retry && error == null) {
                result.complete(response);
                return;
            }
            if (!retry) {
                // The deadline passed waiting for the answer: Kafka's REQUEST_TIMED_OUT, a client-visible outcome.
                result.completeExceptionally(
                        unwrap(error) instanceof java.util.concurrent.TimeoutException
                                ? new TimeoutException(key.name + " got no answer from the controller in time")
                                : error);
                return;
            }
            current.compareAndSet(index, index + 1);
            retries.schedule(
                    () -> attempt(key, version, request, deadlineNanos, result),
                    RETRY_BACKOFF_MS,
                    TimeUnit.MILLISECONDS);
        });
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @Override
    public void close() {
        retries.shutdownNow();
        client.close();
    }
}
