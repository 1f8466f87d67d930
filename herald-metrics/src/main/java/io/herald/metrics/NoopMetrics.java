package io.herald.metrics;

import com.codahale.metrics.Meter;
import com.codahale.metrics.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Meters and timers that record nothing: what the code paths pay with metrics switched off. */
final class NoopMetrics {
    static final Meter METER = new Meter() {
        @Override
        public void mark() {}

        @Override
        public void mark(long n) {}
    };

    static final Timer TIMER = new Timer() {
        @Override
        public void update(long duration, TimeUnit unit) {}

        @Override
        public void update(Duration duration) {}
    };

    private NoopMetrics() {}
}
