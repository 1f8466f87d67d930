package io.herald.console;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Recent lag samples per consumer group and partition, for the group page's charts: taken each time the page is
 * shown (at most one sample every {@link #MIN_INTERVAL_NANOS}), at most {@link #SAMPLES} per partition, and for at
 * most {@link #GROUPS} groups (the least recently sampled is forgotten).
 */
final class LagHistory {
    static final int SAMPLES = 60;
    static final int GROUPS = 200;
    static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private final Map<String, GroupSamples> groups = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GroupSamples> eldest) {
            return size() > GROUPS;
        }
    };

    private static final class GroupSamples {
        long lastNanos = Long.MIN_VALUE;
        final Map<TopicPartition, Deque<Long>> lags = new HashMap<>();
    }

    /** Records one sample of a group's lag per partition and returns each partition's history, oldest first. */
    synchronized Map<TopicPartition, List<Long>> record(String group, Map<TopicPartition, Long> lag, long nowNanos) {
        GroupSamples samples = groups.computeIfAbsent(group, g -> new GroupSamples());
        if (samples.lastNanos == Long.MIN_VALUE || nowNanos - samples.lastNanos >= MIN_INTERVAL_NANOS) {
            samples.lastNanos = nowNanos;
            samples.lags.keySet().retainAll(lag.keySet());
            lag.forEach((tp, value) -> {
                Deque<Long> series = samples.lags.computeIfAbsent(tp, t -> new ArrayDeque<>());
                series.addLast(value);
                while (series.size() > SAMPLES) {
                    series.removeFirst();
                }
            });
        }
        Map<TopicPartition, List<Long>> history = new HashMap<>();
        samples.lags.forEach((tp, series) -> history.put(tp, new ArrayList<>(series)));
        return history;
    }

    /** A small inline SVG line of the samples (numbers only, so nothing to escape), with a text alternative. */
    static String sparkline(List<Long> samples) {
        int width = 120;
        int height = 24;
        long max = Math.max(1, samples.stream().mapToLong(Long::longValue).max().orElse(1));
        StringBuilder points = new StringBuilder();
        int n = samples.size();
        for (int i = 0; i < n; i++) {
            double x = n == 1 ? width : (double) i * width / (n - 1);
            double y = height - 1 - (double) samples.get(i) * (height - 2) / max;
            points.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        String label = "lag over the last " + n + " samples: "
                + (n == 0 ? "none" : samples.get(0) + " to " + samples.get(n - 1) + ", highest " + max);
        return "<svg class=\"lag\" width=\"" + width + "\" height=\"" + height + "\" role=\"img\" aria-label=\"" + label
                + "\"><title>" + label
                + "</title><polyline fill=\"none\" stroke=\"#1a73e8\" stroke-width=\"1.5\" points=\""
                + points.toString().trim() + "\"/></svg>";
    }
}
