package io.herald.common;

/**
 * The source of time for everything that decides on time (timeouts, retention, sessions), so tests can drive it with a
 * {@link ManualClock} instead of waiting.
 */
public interface Clock {
    Clock SYSTEM = new Clock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
            return System.nanoTime();
        }
    };

    /** Wall-clock time in milliseconds since the epoch. */
    long millis();

    /** Monotonic time in nanoseconds, for measuring elapsed time. */
    long nanos();
}
