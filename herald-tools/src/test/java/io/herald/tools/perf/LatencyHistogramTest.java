package io.herald.tools.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void emptyReadsZero() {
        assertThat(new LatencyHistogram().quantile(0.5)).isZero();
    }

    @Test
    void quantileIsTheSortedElementAtFloorOfPTimesN() {
        var h = new LatencyHistogram();
        for (long v : new long[] {7, 1, 3, 9, 5, 2, 8, 4, 6, 10}) {
            h.record(v);
        }
        // sorted 1..10: index floor(0.5 * 10) = 5 holds 6; floor(0.99 * 10) = 9 holds 10
        assertThat(h.quantile(0.5)).isEqualTo(6);
        assertThat(h.quantile(0.95)).isEqualTo(10);
        assertThat(h.quantile(0.0)).isEqualTo(1);
        assertThat(h.count()).isEqualTo(10);
    }

    @Test
    void matchesSortingForLargeAndRepeatedValues() {
        var random = new SplittableRandom(42);
        long[] values = new long[10_001];
        var h = new LatencyHistogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(5) == 0 ? random.nextLong(200_000) : random.nextLong(40);
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {0.5, 0.95, 0.99, 0.999}) {
            assertThat(h.quantile(p)).as("p=%s", p).isEqualTo(values[(int) (p * values.length)]);
        }
    }

    @Test
    void negativeLatencyCountsAsZero() {
        var h = new LatencyHistogram();
        h.record(-3);
        assertThat(h.quantile(0.5)).isZero();
    }
}
