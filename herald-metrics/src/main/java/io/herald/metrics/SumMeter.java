package io.herald.metrics;

import com.codahale.metrics.Meter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A meter that is the sum of other meters (Kafka's all-topics BrokerTopicMetrics over the per-topic ones), so each
 * event is marked once: count and 1/5/15-minute rates add up (the moving averages are linear). It also counts what is
 * marked on it directly (events for no hosted topic) and keeps the counts of parts that went away, so its count never
 * goes backwards.
 */
final class SumMeter extends Meter {
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final Meter own = new Meter();
    private final LongAdder retired = new LongAdder();
    private final Supplier<Collection<Meter>> parts;
    private final long startNanos = System.nanoTime();

    SumMeter(Supplier<Collection<Meter>> parts) {
        this.parts = parts;
    }

    @Override
    public void mark() {
        own.mark();
    }

    @Override
    public void mark(long n) {
        own.mark(n);
    }

    /** A part goes away: its count stays in the sum. */
    void retire(Meter part) {
        retired.add(part.getCount());
    }

    @Override
    public long getCount() {
        long total = own.getCount() + retired.sum();
        for (Meter part : parts.get()) {
            total += part.getCount();
        }
        return total;
    }

    @Override
    public double getMeanRate() {
        long elapsed = System.nanoTime() - startNanos;
        return elapsed <= 0 ? 0.0 : getCount() / (elapsed / NANOS_PER_SECOND);
    }

    @Override
    public double getOneMinuteRate() {
        double total = own.getOneMinuteRate();
        for (Meter part : parts.get()) {
            total += part.getOneMinuteRate();
        }
        return total;
    }

    @Override
    public double getFiveMinuteRate() {
        double total = own.getFiveMinuteRate();
        for (Meter part : parts.get()) {
            total += part.getFiveMinuteRate();
        }
        return total;
    }

    @Override
    public double getFifteenMinuteRate() {
        double total = own.getFifteenMinuteRate();
        for (Meter part : parts.get()) {
            total += part.getFifteenMinuteRate();
        }
        return total;
    }
}
