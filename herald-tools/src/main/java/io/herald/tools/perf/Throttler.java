package io.herald.tools.perf;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a sender at roughly {@code --throughput} records per second by pausing whenever it runs ahead of schedule; a
 * negative target means unthrottled.
 */
public final class Throttler {
    private final double perSecond;
    private final long startMs;

    public Throttler(double perSecond, long startMs) {
        this.perSecond = perSecond;
        this.startMs = startMs;
    }

    /** True when {@code sent} records by {@code nowMs} is ahead of the target rate. */
    public boolean ahead(long sent, long nowMs) {
        if (perSecond < 0) {
            return false;
        }
        if (perSecond == 0) {
            return true;
        }
        double elapsedSec = Math.max(0, nowMs - startMs) / 1000.0;
        return sent / Math.max(elapsedSec, 1e-9) > perSecond;
    }

    /** How long to wait so that {@code sent} records are on schedule. */
    public long delayMs(long sent, long nowMs) {
        if (perSecond <= 0) {
            return perSecond == 0 ? Long.MAX_VALUE : 0;
        }
        long due = startMs + (long) (sent * 1000.0 / perSecond);
        return Math.max(0, due - nowMs);
    }

    /** Waits out {@link #delayMs}; a throughput of 0 means pausing until interrupted. */
    public void pause(long sent, long nowMs) {
        long delay = delayMs(sent, nowMs);
        if (delay > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(delay, 1000)));
        }
    }
}
