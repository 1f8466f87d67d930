package io.herald.coordinator;

/**
 * The transaction coordinator's settings, with Kafka's property names noted on each component; {@link #defaults()}
 * holds Kafka's defaults.
 */
public record TxnConfig(
        /* transaction.state.log.num.partitions */ int stateLogPartitions,
        /* transaction.state.log.replication.factor */ short stateLogReplicationFactor,
        /* transaction.state.log.min.isr */ int stateLogMinIsr,
        /* transaction.state.log.segment.bytes */ int stateLogSegmentBytes,
        /* transaction.max.timeout.ms */ int maxTimeoutMs,
        /* transactional.id.expiration.ms */ long idExpirationMs,
        /* transaction.abort.timed.out.transaction.cleanup.interval.ms */ long abortTimedOutIntervalMs,
        /* transaction.remove.expired.transaction.cleanup.interval.ms */ long removeExpiredIntervalMs) {

    public TxnConfig {
        if (stateLogPartitions < 1) {
            throw new IllegalArgumentException("transaction.state.log.num.partitions must be at least 1");
        }
    }

    public static TxnConfig defaults() {
        return new TxnConfig(50, (short) 3, 2, 104_857_600, 900_000, 604_800_000L, 10_000, 3_600_000);
    }
}
