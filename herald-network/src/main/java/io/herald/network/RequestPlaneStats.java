package io.herald.network;

/**
 * Load figures of one request plane, read by the metrics: the handler threads' idle ratio (Kafka's
 * {@code RequestHandlerAvgIdlePercent}, 0 to 1, over the time since the previous read), the requests waiting for a
 * handler thread ({@code RequestQueueSize}) and the bytes of requests read and not yet answered (the memory pool).
 */
public final class RequestPlaneStats {
    private final RequestHandlerPool pool;
    private long lastNanos;
    private long lastBusyNanos;

    RequestPlaneStats(RequestHandlerPool pool) {
        this.pool = pool;
        this.lastNanos = pool.startedNanos();
    }

    /** The share of handler-thread time spent waiting for requests since the previous call (1 when idle). */
    public synchronized double handlerIdleRatio() {
        long now = System.nanoTime();
        long busy = pool.busyNanos();
        long capacity = (now - lastNanos) * pool.threads();
        double idle = capacity <= 0 ? 1.0 : 1.0 - (double) (busy - lastBusyNanos) / capacity;
        lastNanos = now;
        lastBusyNanos = busy;
        return Math.max(0.0, Math.min(1.0, idle));
    }

    public int queuedRequests() {
        return pool.limits().queuedRequests();
    }

    public long queuedRequestBytes() {
        return pool.limits().usedBytes();
    }

    public long memoryPoolBytes() {
        return pool.limits().maxQueuedBytes();
    }
}
