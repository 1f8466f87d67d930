package io.herald.coordinator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Answering only for writes the in-sync replicas have, as both coordinators do: a shard (or partition) keeps the wait
 * for its latest write, and answers go out behind it.
 */
final class Durability {
    private Durability() {}

    /** The wait for everything appended to the partition so far; a store that cannot wait gives a failed one. */
    static CompletableFuture<Void> await(PartitionStore store, int partition) {
        try {
            return store.replicated(partition).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The wait to answer behind: {@code latest} (null: none yet), or a fresh wait for the log end when it failed
     * (replicas slow, then maybe caught up).
     */
    static CompletableFuture<Void> current(CompletableFuture<Void> latest, PartitionStore store, int partition) {
        return latest == null || latest.isCompletedExceptionally() ? await(store, partition) : latest;
    }

    /** Completes {@code result} with {@code value} once {@code durable} succeeded, else with its failure. */
    static <T> void answerAfter(CompletableFuture<Void> durable, CompletableFuture<T> result, T value) {
        durable.whenComplete((ignored, error) -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(unwrap(error));
            }
        });
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
