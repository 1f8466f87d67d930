package io.herald.broker;

import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestProcessor;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.network.Send;

/**
 * Holds requests that arrive before the broker is ready and serves them, in arrival order, once it is; after that it
 * is a plain pass-through.
 */
final class GatedProcessor implements RequestProcessor {
    private record Held(ConnectionInfo connection, ByteBuffer frame, CompletableFuture<Send> response) {}

    private final RequestProcessor delegate;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private volatile boolean open;

    GatedProcessor(RequestProcessor delegate, CompletableFuture<Void> ready) {
        this.delegate = delegate;
        ready.thenRun(this::openGate);
    }

    @Override
    public CompletableFuture<Send> process(ConnectionInfo connection, ByteBuffer frame) {
        if (open) {
            return delegate.process(connection, frame);
        }
        synchronized (this) {
            if (!open) {
                Held request = new Held(connection, frame, new CompletableFuture<>());
                held.add(request);
                return request.response();
            }
        }
        return delegate.process(connection, frame);
    }

    /**
     * Serves the held requests one by one; requests arriving meanwhile queue behind them, and the gate opens only once
     * the queue is empty, so every connection's requests reach the handlers in arrival order.
     */
    private void openGate() {
        while (true) {
            Held request;
            synchronized (this) {
                request = held.poll();
                if (request == null) {
                    open = true;
                    return;
                }
            }
            serve(request);
        }
    }

    private void serve(Held request) {
        try {
            delegate.process(request.connection(), request.frame()).whenComplete((send, error) -> {
                if (error != null) {
                    request.response().completeExceptionally(error);
                } else {
                    request.response().complete(send);
                }
            });
        } catch (RuntimeException e) {
            request.response().completeExceptionally(e);
        }
    }
}
