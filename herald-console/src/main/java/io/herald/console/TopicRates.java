package io.herald.console;

import java.util.HashMap;
import java.util.Map;

/**
 * Messages in per second per topic, from the growth of the topics' log end offsets between two views of the topics
 * page (the console keeps no background sampler). Only the last sample is kept: one map of topic to offset sum.
 */
final class TopicRates {
    /** A sample older than this is too stale to compute a rate from. */
    static final long MAX_SAMPLE_AGE_NANOS = 15L * 60 * 1_000_000_000;

    private Map<String, Long> lastTotals = Map.of();
    private long lastNanos;

    /** Records this sample and returns each topic's rate since the previous one (absent when unknown). */
    synchronized Map<String, Double> update(Map<String, Long> totals, long nowNanos) {
        Map<String, Double> rates = new HashMap<>();
        long elapsed = nowNanos - lastNanos;
        if (!lastTotals.isEmpty() && elapsed >= 1_000_000_000L && elapsed <= MAX_SAMPLE_AGE_NANOS) {
            for (Map.Entry<String, Long> e : totals.entrySet()) {
                Long before = lastTotals.get(e.getKey());
                if (before != null && e.getValue() >= before) {
                    rates.put(e.getKey(), (e.getValue() - before) * 1e9 / elapsed);
                }
            }
        }
        if (lastTotals.isEmpty() || elapsed >= 1_000_000_000L) {
            lastTotals = Map.copyOf(totals);
            lastNanos = nowNanos;
        }
        return rates;
    }
}
