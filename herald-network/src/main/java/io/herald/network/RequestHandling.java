package io.herald.network;

import java.util.Set;

/**
 * How requests are served once read, under Kafka's names: {@code num.io.threads} request-handler threads,
 * {@code queued.max.requests} requests waiting for them and {@code queued.max.request.bytes} of requests read but not
 * yet answered (-1: a quarter of the heap). Listeners named in {@code controlPlaneListeners} (the controller's) get a
 * pool and limits of their own, so a flood of client requests never stops the brokers' heartbeats from being read.
 */
public record RequestHandling(
        int ioThreads, int queuedMaxRequests, long queuedMaxRequestBytes, Set<String> controlPlaneListeners) {
    public static final int DEFAULT_IO_THREADS = 8;
    public static final int DEFAULT_QUEUED_MAX_REQUESTS = 500;

    public static RequestHandling defaults() {
        return new RequestHandling(DEFAULT_IO_THREADS, DEFAULT_QUEUED_MAX_REQUESTS, -1, Set.of());
    }

    public RequestHandling {
        if (ioThreads <= 0 || queuedMaxRequests <= 0 || (queuedMaxRequestBytes <= 0 && queuedMaxRequestBytes != -1)) {
            throw new IllegalArgumentException(
                    "request handling limits must be positive (queued.max.request.bytes" + " may be -1)");
        }
        controlPlaneListeners = Set.copyOf(controlPlaneListeners);
    }

    /** The memory pool's size: the configured bytes, or a quarter of the maximum heap when unset (-1). */
    long memoryPoolBytes() {
        return queuedMaxRequestBytes > 0
                ? queuedMaxRequestBytes
                : Math.max(1, Runtime.getRuntime().maxMemory() / 4);
    }
}
