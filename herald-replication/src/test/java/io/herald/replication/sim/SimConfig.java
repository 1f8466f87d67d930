package io.herald.replication.sim;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One schedule's parameters, drawn from its seed: cluster size, min.insync.replicas, how hostile the network is and
 * how often brokers crash or get cut off, and whether eligible leader replicas (KIP-966) are on. Times are simulated milliseconds; the protocol timeouts keep Kafka's
 * proportions (heartbeat well under the session timeout, lag time a few fetch rounds).
 */
record SimConfig(
        int brokers,
        int minInsyncReplicas,
        double dropRate,
        double duplicateRate,
        int maxDelayMs,
        double crashWeight,
        double partitionWeight,
        long faultPhaseMs,
        long healBudgetMs,
        Set<Broken> broken,
        boolean eligibleLeaderReplicas) {

    /** Rules the checker must be shown to catch when deliberately broken. */
    enum Broken {
        /** The leader raises its high watermark to its own log end on every append, ignoring followers. */
        HIGH_WATERMARK_ON_LEADER_ALONE,
        /** The leader never answers a diverging epoch, so followers keep history the leader does not have. */
        LEADER_SKIPS_DIVERGENCE_CHECK,
        /** A lost or refused AlterPartition is treated as not applied (proposalFailed) though it may have been. */
        PROPOSAL_FAILED_WHEN_UNSURE,
        /** A follower's fetch that diverged still counts as its progress (followerFetched is called anyway). */
        DIVERGING_FETCH_COUNTS_AS_PROGRESS,
        /** A new leader does not record its epoch's start offset until it appends in that epoch. */
        NO_EPOCH_START_AT_TAKEOVER,
        /**
         * A broker that becomes a follower truncates to its own high watermark instead of asking where it diverged
         * (Kafka before KIP-101): its high watermark can lag the leader's, so it drops committed records.
         */
        FOLLOWER_TRUNCATES_TO_HIGH_WATERMARK,
        /**
         * With eligible leader replicas on, the leader moves its high watermark while the ISR is below min ISR: the
         * replicas that left the ISR miss records consumers have read, and one of them may be elected.
         */
        HIGH_WATERMARK_IGNORES_MIN_ISR,
        /**
         * With eligible leader replicas on, the controller keeps replicas that leave an ISR still at min ISR as
         * eligible: they lag behind what is committed after they left, and one of them may be elected.
         */
        ELR_KEPT_AT_MIN_ISR
    }

    static SimConfig random(long seed, int brokers, Set<Broken> broken) {
        // Mixed first: java.util.Random's first draws from small consecutive seeds are nearly constant (every 3-broker
        // schedule below seed ~10,000 had min ISR 1, every 5-broker one min ISR 2).
        SplittableRandom mixer = new SplittableRandom(seed);
        Random random = new Random(mixer.nextLong());
        int minIsr = brokers == 3 ? (random.nextInt(4) == 0 ? 1 : 2) : 2 + random.nextInt(2);
        return new SimConfig(
                brokers,
                minIsr,
                random.nextInt(3) == 0 ? 0 : random.nextDouble() * 0.08,
                random.nextInt(2) == 0 ? 0 : random.nextDouble() * 0.05,
                5 + random.nextInt(60),
                random.nextDouble(),
                random.nextDouble(),
                2_000 + random.nextInt(2_000),
                30_000,
                broken.isEmpty() ? EnumSet.noneOf(Broken.class) : EnumSet.copyOf(broken),
                mixer.nextBoolean()
                        || broken.contains(Broken.HIGH_WATERMARK_IGNORES_MIN_ISR)
                        || broken.contains(Broken.ELR_KEPT_AT_MIN_ISR));
    }

    /** The controller's eligible-leader-replica rules for this schedule. */
    io.herald.metadata.PartitionChanges.Elr elr() {
        if (!eligibleLeaderReplicas) {
            return io.herald.metadata.PartitionChanges.Elr.OFF;
        }
        // The broken rule: a min ISR no ISR reaches, so the eligible replicas are never cleared.
        int minIsr = isBroken(Broken.ELR_KEPT_AT_MIN_ISR) ? brokers + 1 : minInsyncReplicas;
        return new io.herald.metadata.PartitionChanges.Elr(true, minIsr);
    }

    boolean isBroken(Broken rule) {
        return broken.contains(rule);
    }

    long heartbeatMs() {
        return 100;
    }

    long sessionTimeoutMs() {
        return 600;
    }

    long controllerTickMs() {
        return 50;
    }

    long leaderTickMs() {
        return 50;
    }

    long replicaLagTimeMaxMs() {
        return 500;
    }

    long fetchTimeoutMs() {
        return 300;
    }

    long fetchIdleMs() {
        return 20;
    }

    long alterPartitionRetryMs() {
        return 300;
    }

    long produceTimeoutMs() {
        return 1_500;
    }

    int maxBatchesPerFetch() {
        return 4;
    }

    int maxWaitingProduces() {
        return 10_000;
    }
}
