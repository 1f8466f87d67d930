package io.herald.common;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: deterministic time for tests of time-driven logic. */
public final class ManualClock implements Clock {
    private final AtomicLong nowNanos;
    private final long epochOffsetMs;

    public ManualClock(long startMs) {
        this.nowNanos = new AtomicLong(0);
        this.epochOffsetMs = startMs;
    }

    @Override
    public long millis() {
        return epochOffsetMs + TimeUnit.NANOSECONDS.toMillis(nowNanos.get());
    }

    @Override
    public long nanos() {
        return nowNanos.get();
    }

    public void advanceMs(long deltaMs) {
        if (deltaMs < 0) {
            throw new IllegalArgumentException("time never moves backwards: " + deltaMs);
        }
        nowNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(deltaMs));
    }
}
