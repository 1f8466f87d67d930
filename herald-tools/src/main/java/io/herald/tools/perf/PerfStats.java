package io.herald.tools.perf;

import java.io.PrintStream;

/**
 * Send statistics for {@code kafka-producer-perf-test.sh}: a progress line each time a 5-second window closes and, at
 * the end, the summary line (throughput, average/max latency, 50/95/99/99.9th percentiles over every acknowledged
 * send). Not thread-safe: the producer's I/O thread is its only writer.
 */
public final class PerfStats {
    static final long WINDOW_MS = 5000;
    private static final double MB = 1024.0 * 1024.0;

    private final PrintStream out;
    private final boolean steadyState;
    private final Totals overall;
    private final LatencyHistogram latencies = new LatencyHistogram();
    private Totals window;
    private boolean firstWindow = true;
    private boolean windowLines = true;

    /** Sums over a span of time: how many sends, their bytes and latencies. */
    private static final class Totals {
        final long since;
        long sends;
        long bytes;
        long latencySum;
        int latencyMax;

        Totals(long since) {
            this.since = since;
        }

        void add(int latencyMs, int size) {
            sends++;
            bytes += size;
            latencySum += latencyMs;
            latencyMax = Math.max(latencyMax, latencyMs);
        }

        /** Milliseconds from the start of the span to {@code nowMs}, at least 1. */
        long spanTo(long nowMs) {
            return Math.max(1, nowMs - since);
        }

        double perSecond(long amount, long nowMs) {
            return 1000.0 * amount / spanTo(nowMs);
        }

        double averageLatency() {
            return sends == 0 ? Double.NaN : latencySum / (double) sends;
        }
    }

    /**
     * @param steadyState whether these are the statistics after the warm-up records (labelled so in the output)
     */
    public PerfStats(boolean steadyState, long nowMs, PrintStream out) {
        this.out = out;
        this.steadyState = steadyState;
        this.overall = new Totals(nowMs);
        this.window = new Totals(nowMs);
    }

    /** Records one acknowledged send. */
    public void record(int latencyMs, int size, long nowMs) {
        overall.add(latencyMs, size);
        window.add(latencyMs, size);
        latencies.record(latencyMs);
        if (nowMs - window.since >= WINDOW_MS) {
            closeWindow(nowMs);
        }
    }

    private void closeWindow(long nowMs) {
        if (steadyState && firstWindow) {
            out.println("In steady state.");
        }
        if (windowLines) {
            printWindow(nowMs);
        }
        firstWindow = false;
        window = new Totals(nowMs);
    }

    /** Stops the per-window lines (once steady-state statistics take over). */
    public void suppressWindows() {
        windowLines = false;
    }

    public long count() {
        return overall.sends;
    }

    void printWindow(long nowMs) {
        out.printf(
                "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.%n",
                window.sends,
                window.perSecond(window.sends, nowMs),
                window.perSecond(window.bytes, nowMs) / MB,
                window.averageLatency(),
                (double) window.latencyMax);
    }

    public void printTotal(long nowMs) {
        out.printf(
                "%d%s records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, %d ms"
                        + " 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.%n",
                overall.sends,
                steadyState ? " steady state" : "",
                overall.perSecond(overall.sends, nowMs),
                overall.perSecond(overall.bytes, nowMs) / MB,
                overall.averageLatency(),
                (double) overall.latencyMax,
                latencies.quantile(0.5),
                latencies.quantile(0.95),
                latencies.quantile(0.99),
                latencies.quantile(0.999));
    }
}
