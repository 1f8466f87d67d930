package io.herald.tools.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Every latency a tool measured, in whole milliseconds, kept as an HdrHistogram (exact up to 262,143 ms, far beyond
 * any delivery timeout), so percentiles come from all measurements in constant memory.
 *
 * <p>A percentile is read as the perf tools print it: the {@code p}-quantile is the smallest recorded value such that
 * more than {@code floor(p * n)} of the {@code n} values are at or below it, i.e. the element at index
 * {@code floor(p * n)} of the sorted values.
 */
public final class LatencyHistogram {
    private static final int SIGNIFICANT_DIGITS = 5;

    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);

    /** Adds one latency; a negative one (a clock step back) counts as 0. */
    public void record(long millis) {
        histogram.recordValue(Math.max(0, millis));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** The value at index {@code floor(p * n)} of the sorted latencies; 0 when there are none. */
    public long quantile(double p) {
        long n = histogram.getTotalCount();
        if (n == 0) {
            return 0;
        }
        long rank = Math.min(n - 1, (long) (p * n));
        for (HistogramIterationValue bucket : histogram.recordedValues()) {
            if (bucket.getTotalCountToThisValue() > rank) {
                return bucket.getValueIteratedTo();
            }
        }
        return histogram.getMaxValue();
    }
}
