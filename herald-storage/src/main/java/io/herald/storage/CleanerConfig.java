package io.herald.storage;

/**
 * Broker-level settings of the {@link LogCleaner}, named after Kafka's: log.cleaner.enable, log.cleaner.threads,
 * log.cleaner.dedupe.buffer.size (total over all threads), log.cleaner.io.max.bytes.per.second and
 * log.cleaner.backoff.ms. The per-topic knobs (dirty ratio, compaction lags, delete.retention.ms) live in
 * {@link LogConfig}.
 */
public record CleanerConfig(
        boolean enable, int threads, long dedupeBufferSize, double ioMaxBytesPerSecond, long backoffMs) {

    /** Kafka's defaults: enabled, one thread, 128 MiB dedupe buffer, unthrottled, 15 s backoff. */
    public static final CleanerConfig DEFAULTS =
            new CleanerConfig(true, 1, 128L * 1024 * 1024, Double.MAX_VALUE, 15_000L);

    /** Smallest per-thread dedupe buffer: room for a few thousand keys. */
    static final long MIN_BUFFER_PER_THREAD = 64 * 1024;

    public CleanerConfig {
        if (threads < 1 || dedupeBufferSize / threads < MIN_BUFFER_PER_THREAD) {
            throw new IllegalArgumentException(
                    "log.cleaner.threads must be >= 1 with log.cleaner.dedupe.buffer.size >= " + MIN_BUFFER_PER_THREAD
                            + " bytes per thread");
        }
        if (!(ioMaxBytesPerSecond > 0) || backoffMs < 1) {
            throw new IllegalArgumentException(
                    "log.cleaner.io.max.bytes.per.second and log.cleaner.backoff.ms must be " + "positive");
        }
    }

    /** The dedupe buffer of one cleaner thread. */
    long bufferPerThread() {
        return dedupeBufferSize / threads;
    }
}
