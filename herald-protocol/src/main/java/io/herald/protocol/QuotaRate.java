package io.herald.protocol;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * One quota's measurement: a per-second rate over Kafka's sampled windows ({@code quota.window.num} samples of
 * {@code quota.window.size.seconds}, kafka-clients' {@link Rate}) and Kafka's throttle time for a rate above its bound:
 * {@code (rate - bound) / bound * window}, the time after which the window's average falls back to the bound. The
 * throttle never exceeds the whole quota window. Thread-safe.
 */
public final class QuotaRate {
    private final MetricConfig config;
    private final long maxThrottleMs;
    private final Rate rate = new Rate(TimeUnit.SECONDS);
    private long lastRecordMs;

    public QuotaRate(int windowNum, long windowSizeMs) {
        if (windowNum < 1 || windowSizeMs < 1) {
            throw new IllegalArgumentException("quota windows must be positive: " + windowNum + " x " + windowSizeMs);
        }
        this.config = new MetricConfig().samples(windowNum).timeWindow(windowSizeMs, TimeUnit.MILLISECONDS);
        this.maxThrottleMs = windowNum * windowSizeMs;
    }

    /** Records {@code value} at {@code nowMs}; returns how long to throttle for a rate above {@code bound} (else 0). */
    public synchronized long recordAndThrottleMs(double value, double bound, long nowMs) {
        rate.record(config, value, nowMs);
        lastRecordMs = nowMs;
        return throttleMs(bound, nowMs);
    }

    /** The throttle time the current rate earns against {@code bound} (0 when within it). */
    public synchronized long throttleMs(double bound, long nowMs) {
        double measured = rate.measure(config, nowMs);
        if (measured <= bound) {
            return 0;
        }
        if (bound <= 0) {
            return maxThrottleMs;
        }
        long windowMs = rate.windowSize(config, nowMs);
        return Math.min(maxThrottleMs, Math.max(1, Math.round((measured - bound) / bound * windowMs)));
    }

    /** The rate per second at {@code nowMs}. */
    public synchronized double measure(long nowMs) {
        return rate.measure(config, nowMs);
    }

    /** When a value was last recorded (to expire idle measurements). */
    public synchronized long lastRecordMs() {
        return lastRecordMs;
    }
}
