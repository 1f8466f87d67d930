package io.herald.coordinator;

import io.herald.common.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coordinator runtime over the partitions of one internal topic: a shard per partition this broker leads, loaded by
 * replaying the partition on a loader thread; every event of every shard runs one at a time on one thread (no locks in
 * the shards' logic); what an event decided is written to the partition, and replicated to its in-sync replicas, before
 * its replies go out; a regular tick
 * (and wake-ups asked for by events) drives the shards' timers. Requests for a partition this broker does not lead get
 * NOT_COORDINATOR, while it loads COORDINATOR_LOAD_IN_PROGRESS.
 */
final class CoordinatorRuntime<S extends CoordinatorRuntime.Shard> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorRuntime.class);

    /** One partition's state. Every method runs on the runtime's thread, except replay (loader thread, before use). */
    interface Shard {
        /** Applies one record read back from the partition. */
        void replay(GroupRecord record, long nowMs);

        /** Runs once the shard is loaded and serving (to resume work the log says is unfinished). */
        void loaded(long nowMs, Effects fx);

        void tick(long nowMs, Effects fx);

        /** The shard is gone from this broker. */
        void unloaded();

        /** What the load line says about the shard ("3 group(s)"). */
        String summary();
    }

    /** Makes an empty shard for a partition at the given leader epoch. */
    interface ShardFactory<S> {
        S create(int partition, int leaderEpoch, long nowMs);
    }

    private final String topic;
    private final long tickIntervalMs;
    private final Clock clock;
    private final PartitionStore store;
    private final ShardFactory<S> factory;
    private final ScheduledExecutorService thread;
    private final ExecutorService loader;
    /** Runtime thread only. */
    private final Map<Integer, S> active = new HashMap<>();
    /** partition -> load attempt, so a load that lost its leadership meanwhile is dropped. Runtime thread only. */
    private final Map<Integer, Long> loading = new HashMap<>();
    /** partition -> when its writes so far are replicated ({@link #durable}). Runtime thread only. */
    private final Map<Integer, CompletableFuture<Void>> durable = new HashMap<>();

    private long loadAttempts;

    CoordinatorRuntime(
            String topic,
            String threadName,
            long tickIntervalMs,
            Clock clock,
            PartitionStore store,
            ShardFactory<S> factory) {
        this.topic = topic;
        this.tickIntervalMs = tickIntervalMs;
        this.clock = clock;
        this.store = store;
        this.factory = factory;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, threadName));
        this.loader = Executors.newSingleThreadExecutor(r -> daemon(r, threadName + "-loader"));
        thread.scheduleAtFixedRate(this::tickAll, tickIntervalMs, tickIntervalMs, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** This broker now leads the partition: replay it, then serve. */
    void becameLeader(int partition, int leaderEpoch) {
        submit(() -> {
            if (active.containsKey(partition) || loading.containsKey(partition)) {
                return;
            }
            long attempt = ++loadAttempts;
            loading.put(partition, attempt);
            long startNanos = clock.nanos();
            loader.execute(() -> {
                long nowMs = clock.millis();
                S shard = factory.create(partition, leaderEpoch, nowMs);
                long[] counts = new long[2]; // records, unreadable records
                try {
                    store.replay(partition, record -> {
                        counts[0]++;
                        try {
                            shard.replay(record, nowMs);
                        } catch (IllegalArgumentException e) {
                            counts[1]++;
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.warn("Loading {}-{} failed: {}", topic, partition, e.toString());
                    submit(() -> loading.remove(partition, attempt));
                    return;
                }
                submit(() -> finishLoad(partition, shard, attempt, counts, startNanos));
            });
        });
    }

    private void finishLoad(int partition, S shard, long attempt, long[] counts, long startNanos) {
        if (!loading.remove(partition, attempt)) {
            return;
        }
        active.put(partition, shard);
        LOG.info(
                "Loaded {}-{}: {} record(s), {} in {} ms{}",
                topic,
                partition,
                counts[0],
                shard.summary(),
                TimeUnit.NANOSECONDS.toMillis(clock.nanos() - startNanos),
                counts[1] > 0 ? ", " + counts[1] + " unreadable record(s) skipped" : "");
        Effects fx = new Effects();
        shard.loaded(clock.millis(), fx);
        flush(partition, shard, fx);
    }

    /** This broker no longer leads the partition: drop its shard (the new leader replays it). */
    void resigned(int partition) {
        submit(() -> {
            loading.remove(partition);
            durable.remove(partition);
            S shard = active.remove(partition);
            if (shard != null) {
                shard.unloaded();
                LOG.info("Unloaded {}-{}: this broker no longer leads it", topic, partition);
            }
        });
    }

    /**
     * Runs an event on a partition's shard and answers with its result once what it decided is written; fails with
     * NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS when the shard is not here, NOT_COORDINATOR when the write fails.
     */
    <T> CompletableFuture<T> call(int partition, BiFunction<S, Effects, T> event) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(result, () -> {
            S shard = shard(partition);
            Effects fx = new Effects();
            T value = event.apply(shard, fx);
            if (!flush(partition, shard, fx)) {
                throw new NotCoordinatorException(
                        "Could not write to " + topic + "-" + partition + "; find the coordinator again.");
            }
            Durability.answerAfter(durable(partition), result, value);
        });
        return result;
    }

    /**
     * Completes once the partition's writes so far reached its in-sync replicas; after a wait that failed (replicas
     * slow), waits for the log end again. Runtime thread only.
     */
    private CompletableFuture<Void> durable(int partition) {
        CompletableFuture<Void> stage = Durability.current(durable.get(partition), store, partition);
        durable.put(partition, stage);
        return stage;
    }

    /**
     * Runs an event's replies (markers to send, answers) once its writes are replicated, on the runtime thread. A wait
     * that timed out is renewed while the shard is still here: the write is in the leader's log and a transaction
     * must not stall because one wait ran out; a lost leadership drops them (the new leader resumes from its log).
     */
    private void afterReplicated(int partition, S shard, List<Runnable> replies, CompletableFuture<Void> stage) {
        stage.whenComplete((ignored, error) -> submit(() -> {
            if (error == null) {
                replies.forEach(Runnable::run);
            } else if (active.get(partition) == shard
                    && !(Durability.unwrap(error) instanceof NotCoordinatorException)) {
                afterReplicated(partition, shard, replies, durable(partition));
            }
        }));
    }

    /** Runs a read of every loaded shard; the boolean says whether some partition is still loading. */
    <T> CompletableFuture<T> readAll(BiFunction<List<S>, Boolean, T> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(result, () -> result.complete(read.apply(new ArrayList<>(active.values()), !loading.isEmpty())));
        return result;
    }

    /** Runs an event on a shard if it is loaded here (no answer: for internal events such as finished markers). */
    void runIfLoaded(int partition, Function<S, Effects> event) {
        submit(() -> {
            S shard = active.get(partition);
            if (shard != null) {
                flush(partition, shard, event.apply(shard));
            }
        });
    }

    private S shard(int partition) {
        S shard = active.get(partition);
        if (shard != null) {
            return shard;
        }
        if (loading.containsKey(partition)) {
            throw new CoordinatorLoadInProgressException("The coordinator is loading " + topic + "-" + partition + ".");
        }
        throw new NotCoordinatorException("This is not the coordinator of " + topic + "-" + partition + ".");
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void execute(CompletableFuture<?> result, Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new NotCoordinatorException("The coordinator is shutting down."));
        }
    }

    /** Writes what an event decided, then lets its replies go; a failed write unloads the shard. */
    private boolean flush(int partition, S shard, Effects fx) {
        boolean written = true;
        if (!fx.records().isEmpty()) {
            try {
                store.append(partition, fx.records());
                durable.put(partition, Durability.await(store, partition));
            } catch (RuntimeException e) {
                written = false;
                LOG.warn("Writing to {}-{} failed, unloading it: {}", topic, partition, e.toString());
                if (active.remove(partition, shard)) {
                    shard.unloaded();
                }
            }
        }
        if (written) {
            CompletableFuture<Void> stage = durable(partition);
            if (stage.isDone() && !stage.isCompletedExceptionally()) {
                fx.replies().forEach(Runnable::run);
            } else if (!fx.replies().isEmpty()) {
                afterReplicated(partition, shard, List.copyOf(fx.replies()), stage);
            }
            if (fx.wakeAtMs() != Long.MAX_VALUE) {
                long delayMs = Math.max(0, fx.wakeAtMs() - clock.millis());
                if (delayMs < tickIntervalMs) {
                    try {
                        thread.schedule(() -> tick(partition, shard), delayMs, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException e) {
                        // shutting down
                    }
                }
            }
        }
        return written;
    }

    private void tickAll() {
        for (Map.Entry<Integer, S> e : List.copyOf(active.entrySet())) {
            tick(e.getKey(), e.getValue());
        }
    }

    private void tick(int partition, S shard) {
        if (active.get(partition) != shard) {
            return;
        }
        Effects fx = new Effects();
        try {
            shard.tick(clock.millis(), fx);
        } catch (RuntimeException e) {
            LOG.error("Timer of {}-{} failed", topic, partition, e);
        }
        flush(partition, shard, fx);
    }

    @Override
    public void close() {
        loader.shutdownNow();
        thread.shutdownNow();
    }
}
