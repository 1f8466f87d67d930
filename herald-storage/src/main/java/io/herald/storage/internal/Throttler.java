package io.herald.storage.internal;

import io.herald.common.Clock;

/**
 * Caps the cleaner's I/O at log.cleaner.io.max.bytes.per.second: callers report bytes read or written, and when the
 * rate measured over the current window runs ahead of the cap the throttler pauses for the difference. Unlimited
 * ({@link Double#MAX_VALUE}) never pauses. The pause is injected so tests observe it instead of sleeping.
 */
public final class Throttler {
    /** How a pause happens: {@code Thread::sleep} in production. */
    @FunctionalInterface
    public interface Pause {
        void pauseMs(long ms) throws InterruptedException;
    }

    static final long WINDOW_MS = 100;

    private final double bytesPerSecond;
    private final Clock clock;
    private final Pause pause;
    private long windowStartMs;
    private long windowBytes;
    private long pausedMs;

    public Throttler(double bytesPerSecond, Clock clock, Pause pause) {
        if (!(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.clock = clock;
        this.pause = pause;
        this.windowStartMs = clock.millis();
    }

    public static Throttler unlimited(Clock clock) {
        return new Throttler(Double.MAX_VALUE, clock, ms -> {});
    }

    /** Accounts {@code bytes} of I/O, pausing when the window's rate exceeds the cap. */
    public void maybeThrottle(long bytes) {
        if (bytesPerSecond == Double.MAX_VALUE) {
            return;
        }
        windowBytes += bytes;
        long now = clock.millis();
        long elapsedMs = now - windowStartMs;
        long neededMs = (long) (windowBytes * 1000.0 / bytesPerSecond);
        if (neededMs > elapsedMs) {
            long waitMs = neededMs - elapsedMs;
            try {
                pause.pauseMs(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pausedMs += waitMs;
        }
        if (elapsedMs >= WINDOW_MS) {
            windowStartMs = clock.millis();
            windowBytes = 0;
        }
    }

    /** Total time paused so far. */
    public long pausedMs() {
        return pausedMs;
    }
}
