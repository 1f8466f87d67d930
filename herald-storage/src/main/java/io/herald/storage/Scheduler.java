package io.herald.storage;

/**
 * Where the storage layer runs its background work (retention checks, flushes, delayed file deletion). Injected so
 * tests run tasks directly under a ManualClock instead of waiting for threads.
 */
public interface Scheduler {
    /** Runs {@code task} once after {@code delayMs}. */
    void schedule(String name, Runnable task, long delayMs);

    /** Runs {@code task} every {@code periodMs}, first after one period. */
    void schedulePeriodic(String name, Runnable task, long periodMs);
}
