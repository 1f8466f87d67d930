package io.herald.tools.perf;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Send statistics for {@code kafka-producer-perf-test.sh}: a line per 5-second window while running and Kafka's
 * summary line (throughput, average/max latency and 50/95/99/99.9th percentiles, from up to 500,000 samples) at the
 * end. Not thread-safe: the producer's I/O thread is its only writer.
 */
public final class PerfStats {
    static final long WINDOW_MS = 5000;

    private final PrintStream out;
    private final long start;
    private final boolean steadyState;
    private final int[] samples;
    private final long sampleEvery;
    private long iteration;
    private int sampled;
    private long count;
    private long bytes;
    private long totalLatency;
    private int maxLatency;
    private long windowStart;
    private long windowCount;
    private long windowBytes;
    private long windowLatency;
    private int windowMax;
    private boolean quiet;

    public PerfStats(long expectedRecords, boolean steadyState, long nowMs, PrintStream out) {
        this.out = out;
        this.start = nowMs;
        this.windowStart = nowMs;
        this.steadyState = steadyState;
        this.sampleEvery = Math.max(1, expectedRecords / Math.min(expectedRecords, 500_000));
        this.samples = new int[(int) (expectedRecords / sampleEvery) + 1];
    }

    /** Records one acknowledged send. */
    public void record(int latencyMs, int size, long nowMs) {
        count++;
        bytes += size;
        totalLatency += latencyMs;
        maxLatency = Math.max(maxLatency, latencyMs);
        windowCount++;
        windowBytes += size;
        windowLatency += latencyMs;
        windowMax = Math.max(windowMax, latencyMs);
        if (iteration % sampleEvery == 0 && sampled < samples.length) {
            samples[sampled++] = latencyMs;
        }
        iteration++;
        if (nowMs - windowStart >= WINDOW_MS) {
            if (steadyState && count == windowCount) {
                out.println("In steady state.");
            }
            if (!quiet) {
                printWindow(nowMs);
            }
            windowStart = nowMs;
            windowCount = 0;
            windowBytes = 0;
            windowLatency = 0;
            windowMax = 0;
        }
    }

    /** Stops the per-window lines (once steady-state statistics take over). */
    public void suppressWindows() {
        quiet = true;
    }

    public long count() {
        return count;
    }

    void printWindow(long nowMs) {
        long elapsed = Math.max(1, nowMs - windowStart);
        out.printf(
                "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.%n",
                windowCount,
                1000.0 * windowCount / elapsed,
                1000.0 * windowBytes / elapsed / (1024.0 * 1024.0),
                windowLatency / (double) windowCount,
                (double) windowMax);
    }

    public void printTotal(long nowMs) {
        long elapsed = Math.max(1, nowMs - start);
        int[] p = percentiles(0.5, 0.95, 0.99, 0.999);
        out.printf(
                "%d%s records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, %d ms"
                        + " 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.%n",
                count,
                steadyState ? " steady state" : "",
                1000.0 * count / elapsed,
                1000.0 * bytes / elapsed / (1024.0 * 1024.0),
                count == 0 ? Double.NaN : totalLatency / (double) count,
                (double) maxLatency,
                p[0],
                p[1],
                p[2],
                p[3]);
    }

    private int[] percentiles(double... ps) {
        int[] sorted = Arrays.copyOf(samples, sampled);
        Arrays.sort(sorted);
        int[] result = new int[ps.length];
        for (int i = 0; i < ps.length; i++) {
            result[i] = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (ps[i] * sorted.length))];
        }
        return result;
    }
}
