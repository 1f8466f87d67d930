package io.herald.replication.sim;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * One schedule's parameters, drawn from its seed: cluster size, min.insync.replicas, how hostile the network is and
 * how often brokers crash or get cut off. Times are simulated milliseconds; the protocol timeouts keep Kafka's
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
        Set<Broken> broken) {

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
        FOLLOWER_TRUNCATES_TO_HIGH_WATERMARK
    }

    static SimConfig random(long seed, int brokers, Set<Broken> broken) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
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
                broken.isEmpty() ? EnumSet.noneOf(Broken.class) : EnumSet.copyOf(broken));
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
