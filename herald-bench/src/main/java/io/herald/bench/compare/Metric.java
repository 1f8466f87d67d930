package io.herald.bench.compare;

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
    PEAK_RSS_MB("peak RSS, VmHWM (MB)", false);

    final String label;
    final boolean higherIsBetter;

    Metric(String label, boolean higherIsBetter) {
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }
}
