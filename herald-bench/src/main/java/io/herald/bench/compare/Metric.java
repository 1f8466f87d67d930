package io.herald.bench.compare;

import java.util.EnumSet;
import java.util.Set;

/** One row of the comparison table: its label, which way is better, and how many decimals it deserves. */
enum Metric {
    STARTUP_MS("start-up to first Metadata response (ms)", false),
    RSS_AFTER_START_MB("RSS after start-up (MB)", false),
    PRODUCE_ACKS1_RECORDS("produce acks=1: records/s", true),
    PRODUCE_ACKS1_MB("produce acks=1: MB/s", true),
    PRODUCE_ACKS1_AVG_MS("produce acks=1: avg latency (ms)", false),
    PRODUCE_ACKS1_P99_MS("produce acks=1: p99 latency (ms)", false),
    PRODUCE_ACKS1_CPU("produce acks=1: broker CPU s/GB", false),
    PRODUCE_ACKSALL_RECORDS("produce acks=all: records/s", true),
    PRODUCE_ACKSALL_MB("produce acks=all: MB/s", true),
    PRODUCE_ACKSALL_AVG_MS("produce acks=all: avg latency (ms)", false),
    PRODUCE_ACKSALL_P99_MS("produce acks=all: p99 latency (ms)", false),
    PRODUCE_ACKSALL_CPU("produce acks=all: broker CPU s/GB", false),
    CONSUME_RECORDS("consume: records/s", true),
    CONSUME_MB("consume: MB/s", true),
    CONSUME_CPU("consume: broker CPU s/GB", false),
    FIXED_RATE_P50_MS("produce at fixed rate, acks=all: p50 (ms)", false),
    FIXED_RATE_P99_MS("produce at fixed rate, acks=all: p99 (ms)", false),
    FIXED_RATE_P999_MS("produce at fixed rate, acks=all: p99.9 (ms)", false),
    E2E_AVG_MS("end-to-end latency: avg (ms)", false),
    E2E_P50_MS("end-to-end latency: p50 (ms)", false),
    E2E_P99_MS("end-to-end latency: p99 (ms)", false),
    E2E_P999_MS("end-to-end latency: p99.9 (ms)", false),
    GROUP_CLASSIC_JOIN_MS("classic group: join to all assigned (ms)", false),
    GROUP_CLASSIC_COMMITS("classic group: offset commits/s", true),
    GROUP_CLASSIC_COMMIT_P99_MS("classic group: offset commit p99 (ms)", false),
    GROUP_CLASSIC_LEAVE_MS("classic group: rebalance after a leave (ms)", false),
    GROUP_CONSUMER_JOIN_MS("consumer group (KIP-848): join to all assigned (ms)", false),
    GROUP_CONSUMER_COMMITS("consumer group (KIP-848): offset commits/s", true),
    GROUP_CONSUMER_COMMIT_P99_MS("consumer group (KIP-848): offset commit p99 (ms)", false),
    GROUP_CONSUMER_LEAVE_MS("consumer group (KIP-848): rebalance after a leave (ms)", false),
    PEAK_RSS_MB("peak RSS, VmHWM (MB)", false);

    /** The rows a {@code --groups-only} run fills (plus start-up and RSS, which every run measures). */
    static final Set<Metric> GROUPS = EnumSet.range(GROUP_CLASSIC_JOIN_MS, GROUP_CONSUMER_LEAVE_MS);

    final String label;
    final boolean higherIsBetter;

    Metric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }
}
