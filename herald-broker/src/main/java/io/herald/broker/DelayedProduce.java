package io.herald.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.protocol.Errors;

/**
 * An acks=all write to one partition waiting for the high watermark to pass it: completed with NONE (or
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below min.insync.replicas meanwhile), NOT_LEADER_OR_FOLLOWER
 * when leadership moves, or REQUEST_TIMED_OUT at the produce request's timeout. No thread waits on it.
 */
final class DelayedProduce {
    final long requiredOffset;
    final int minInsyncReplicas;
    final CompletableFuture<Errors> result = new CompletableFuture<>();
    volatile ScheduledFuture<?> timeout;

    DelayedProduce(long requiredOffset, int minInsyncReplicas) {
        this.requiredOffset = requiredOffset;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    void complete(Errors error) {
        if (result.complete(error)) {
            ScheduledFuture<?> pending = timeout;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }
}
