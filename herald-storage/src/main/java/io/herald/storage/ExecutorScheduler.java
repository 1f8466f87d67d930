package io.herald.storage;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: one daemon thread running storage background tasks. A failing task is logged and
 * does not stop later runs.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    public ExecutorScheduler(String threadName) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
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
