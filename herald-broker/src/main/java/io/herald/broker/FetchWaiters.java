package io.herald.broker;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * Long-polling fetches waiting for data (Fetch {@code max_wait_ms} with {@code min_bytes} not yet met): an append to a
 * partition re-checks the fetches watching it; a timer completes them at their deadline. No thread waits: a waiting
 * fetch is a callback. The number of waiting fetches is bounded.
 */
final class FetchWaiters implements AutoCloseable {
    static final int MAX_WAITING = 100_000;

    /** A waiting fetch: {@code recheck} answers true once it has completed (enough data, or the deadline). */
    interface Waiter {
        boolean recheck(boolean deadline);
    }

    private final Map<TopicPartition, Set<Entry>> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "herald-fetch-timer");
        thread.setDaemon(true);
        return thread;
    });

    private final class Entry {
        final Waiter waiter;
        final Set<TopicPartition> partitions;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> deadline;

        Entry(Waiter waiter, Set<TopicPartition> partitions) {
            this.waiter = waiter;
            this.partitions = partitions;
        }

        void check(boolean atDeadline) {
            if (done.get()) {
                return;
            }
            synchronized (this) {
                if (done.get()) {
                    return;
                }
                if (waiter.recheck(atDeadline) || atDeadline) {
                    done.set(true);
                    remove(this);
                }
            }
        }
    }

    /** Whether another fetch may wait; past the bound, fetches answer at once with what there is. */
    boolean hasRoom() {
        return waiting.get() < MAX_WAITING;
    }

    void await(Set<TopicPartition> partitions, long maxWaitMs, Waiter waiter) {
        Entry entry = new Entry(waiter, Set.copyOf(partitions));
        waiting.incrementAndGet();
        for (TopicPartition tp : entry.partitions) {
            watchers.compute(tp, (k, entries) -> {
                Set<Entry> set = entries != null ? entries : ConcurrentHashMap.newKeySet();
                set.add(entry);
                return set;
            });
        }
        entry.deadline = timer.schedule(() -> entry.check(true), maxWaitMs, TimeUnit.MILLISECONDS);
        // Data may have arrived between the fetch's read and its registration.
        entry.check(false);
    }

    /** Called after an append to {@code tp}. */
    void dataArrived(TopicPartition tp) {
        Set<Entry> entries = watchers.get(tp);
        if (entries == null || entries.isEmpty()) {
            return;
        }
        for (Entry entry : entries) {
            entry.check(false);
        }
    }

    private void remove(Entry entry) {
        waiting.decrementAndGet();
        ScheduledFuture<?> deadline = entry.deadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        for (TopicPartition tp : entry.partitions) {
            // Atomic with await's compute: a partition nobody watches any more leaves the map.
            watchers.computeIfPresent(tp, (k, entries) -> {
                entries.remove(entry);
                return entries.isEmpty() ? null : entries;
            });
        }
    }

    /** How many partitions have waiting fetches (for tests: it must fall back to zero). */
    int watchedPartitions() {
        return watchers.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
