package io.herald.network;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a request plane admits before it reads a request: at most {@code queued.max.requests} requests waiting for a
 * handler thread, and the bytes of requests read but not yet answered within {@code queued.max.request.bytes} (Kafka's
 * memory pool). A connection that is refused stops reading and waits here; each release wakes the waiters, which try
 * again on their own event loops. As in Kafka's memory pool, a frame is admitted while any room is left, so a request
 * larger than the pool is served alone instead of never.
 */
final class RequestLimits {
    private final int maxQueuedRequests;
    private final long maxQueuedBytes;
    private final AtomicInteger queuedRequests = new AtomicInteger();
    private final AtomicLong usedBytes = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    RequestLimits(int maxQueuedRequests, long maxQueuedBytes) {
        if (maxQueuedRequests <= 0 || maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("request limits must be positive");
        }
        this.maxQueuedRequests = maxQueuedRequests;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Reserves {@code frameBytes} for a request about to be read; false when the plane is full (then wait). */
    boolean tryAdmit(int frameBytes) {
        if (queuedRequests.get() >= maxQueuedRequests) {
            return false;
        }
        while (true) {
            long used = usedBytes.get();
            if (used >= maxQueuedBytes) {
                return false;
            }
            if (usedBytes.compareAndSet(used, used + frameBytes)) {
                return true;
            }
        }
    }

    /** Gives back the bytes of a request that was answered (or dropped with its connection). */
    void release(long frameBytes) {
        if (frameBytes > 0) {
            usedBytes.addAndGet(-frameBytes);
            wakeWaiters();
        }
    }

    void enqueued() {
        queuedRequests.incrementAndGet();
    }

    void dequeued() {
        queuedRequests.decrementAndGet();
        wakeWaiters();
    }

    /** Runs {@code retry} once room may have been made; at once when there is room already (no lost wake-up). */
    void await(Runnable retry) {
        waiters.add(retry);
        if (queuedRequests.get() < maxQueuedRequests && usedBytes.get() < maxQueuedBytes) {
            wakeWaiters();
        }
    }

    private void wakeWaiters() {
        Runnable waiter;
        while ((waiter = waiters.poll()) != null) {
            try {
                waiter.run();
            } catch (RuntimeException e) {
                // A waiter only schedules its retry; one that fails (its connection closed) must not stop the others.
            }
        }
    }

    int queuedRequests() {
        return queuedRequests.get();
    }

    long usedBytes() {
        return usedBytes.get();
    }

    long maxQueuedBytes() {
        return maxQueuedBytes;
    }
}
