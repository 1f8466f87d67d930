package io.herald.network;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request-handler threads of one request plane ({@code num.io.threads}): event loops read frames and hand them
 * here, handlers run (and touch the disk) here, and the loops only write the responses. Each connection gets a
 * {@link #newConnectionQueue() serial queue}: its requests reach the handlers one at a time in arrival order (so
 * pipelined idempotent batches append in sequence), while different connections run in parallel.
 */
final class RequestHandlerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandlerPool.class);

    private final String name;
    private final int threads;
    private final ExecutorService executor;
    private final RequestLimits limits;
    private final AtomicLong busyNanos = new AtomicLong();
    private final long startedNanos = System.nanoTime();
    private final Map<String, BusyCount> busyQueues = new ConcurrentHashMap<>();

    RequestHandlerPool(String name, int threads, RequestLimits limits) {
        if (threads <= 0) {
            throw new IllegalArgumentException("num.io.threads must be positive");
        }
        this.name = name;
        this.threads = threads;
        this.limits = limits;
        AtomicInteger ids = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-request-handler-" + ids.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    RequestLimits limits() {
        return limits;
    }

    /** A queue for one connection's requests: run in submission order, never two at once. */
    Executor newConnectionQueue(String listenerName) {
        return new ConnectionQueue(busyQueues.computeIfAbsent(listenerName, name -> new BusyCount()));
    }

    /**
     * Waits until no request of {@code listenerName} is queued or running (its connections are closed first, so their
     * queued requests are skipped): afterwards none reaches the processor. False when that took over the timeout.
     */
    boolean awaitIdle(String listenerName, long timeoutMs) throws InterruptedException {
        BusyCount busy = busyQueues.get(listenerName);
        return busy == null || busy.awaitZero(timeoutMs);
    }

    /** Nanoseconds the handler threads spent running requests since start (for the idle ratio). */
    long busyNanos() {
        return busyNanos.get();
    }

    int threads() {
        return threads;
    }

    long startedNanos() {
        return startedNanos;
    }

    @Override
    public void close() {
        // No interrupts while requests run: an interrupted FileChannel closes, which would fail a log dir.
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Request handlers of {} did not stop within 5 s", name);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One connection's requests. At most one of its tasks is on the shared executor at a time; after running one it
     * goes to the back of the executor's queue, so a busy connection does not starve the others.
     */
    private final class ConnectionQueue implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private final BusyCount busy;
        private boolean scheduled;

        ConnectionQueue(BusyCount busy) {
            this.busy = busy;
        }

        @Override
        public void execute(Runnable task) {
            limits.enqueued();
            synchronized (this) {
                tasks.add(task);
                if (scheduled) {
                    return;
                }
                scheduled = true;
                busy.add(1);
            }
            schedule();
        }

        private void schedule() {
            try {
                executor.execute(this::runOne);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Shutting down: the connections are closing too; their requests are dropped with them.
                synchronized (this) {
                    for (int i = tasks.size(); i > 0; i--) {
                        limits.dequeued();
                    }
                    tasks.clear();
                    scheduled = false;
                    busy.add(-1);
                }
            }
        }

        private void runOne() {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
            }
            limits.dequeued();
            long start = System.nanoTime();
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("A request task of {} failed: {}", name, e.toString());
            } finally {
                busyNanos.addAndGet(System.nanoTime() - start);
            }
            synchronized (this) {
                if (tasks.isEmpty()) {
                    scheduled = false;
                    busy.add(-1);
                    return;
                }
            }
            schedule();
        }
    }

    /** How many connection queues of one listener have requests queued or running. */
    private static final class BusyCount {
        private int count;

        synchronized void add(int delta) {
            count += delta;
            if (count == 0) {
                notifyAll();
            }
        }

        synchronized boolean awaitZero(long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (count > 0) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    return false;
                }
                wait(leftMs);
            }
            return true;
        }
    }
}
