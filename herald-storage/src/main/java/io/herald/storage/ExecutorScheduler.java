package io.herald.storage;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: daemon threads (one by default) running storage background tasks. A failing task is logged and
 * does not stop later runs.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    public ExecutorScheduler(String threadName) {
        this(threadName, 1);
    }

    /** A scheduler with {@code threads} daemon threads named {@code threadName-i}. */
    public ExecutorScheduler(String threadName, int threads) {
        AtomicInteger ids = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, threads == 1 ? threadName : threadName + "-" + ids.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void schedule(String name, Runnable task, long delayMs) {
        executor.schedule(guarded(name, task), delayMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void schedulePeriodic(String name, Runnable task, long periodMs) {
        executor.scheduleWithFixedDelay(guarded(name, task), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Storage task {} failed", name, e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
