package io.herald.server;

import io.herald.coordinator.TxnConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The transaction coordinator's server properties with Kafka's names and defaults ({@code transaction.*},
 * {@code transactional.id.expiration.ms}), parsed into a {@link TxnConfig}; a bad value stops start-up naming the key.
 */
final class TxnConfigs {
    static final String STATE_LOG_PARTITIONS = "transaction.state.log.num.partitions";
    static final String STATE_LOG_REPLICATION_FACTOR = "transaction.state.log.replication.factor";
    static final String STATE_LOG_MIN_ISR = "transaction.state.log.min.isr";
    static final String STATE_LOG_SEGMENT_BYTES = "transaction.state.log.segment.bytes";
    static final String MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    static final String ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    static final String ABORT_INTERVAL_MS = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    static final String REMOVE_EXPIRED_INTERVAL_MS = "transaction.remove.expired.transaction.cleanup.interval.ms";

    private static final ConfigDef DEF = define();

    private TxnConfigs() {}

    private static ConfigDef define() {
        TxnConfig d = TxnConfig.defaults();
        return new ConfigDef()
                .define(
                        STATE_LOG_PARTITIONS,
                        Type.INT,
                        d.stateLogPartitions(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The number of partitions of __transaction_state (do not change it later).")
                .define(
                        STATE_LOG_REPLICATION_FACTOR,
                        Type.SHORT,
                        d.stateLogReplicationFactor(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The replication factor of __transaction_state; creating it fails until enough brokers live.")
                .define(
                        STATE_LOG_MIN_ISR,
                        Type.INT,
                        d.stateLogMinIsr(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The min.insync.replicas of __transaction_state.")
                .define(
                        STATE_LOG_SEGMENT_BYTES,
                        Type.INT,
                        d.stateLogSegmentBytes(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The segment size of __transaction_state.")
                .define(
                        MAX_TIMEOUT_MS,
                        Type.INT,
                        d.maxTimeoutMs(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The largest transaction timeout a producer may ask for.")
                .define(
                        ID_EXPIRATION_MS,
                        Type.INT,
                        (int) d.idExpirationMs(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "How long an idle transactional id is remembered.")
                .define(
                        ABORT_INTERVAL_MS,
                        Type.INT,
                        (int) d.abortTimedOutIntervalMs(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "How often transactions past their timeout are looked for and aborted.")
                .define(
                        REMOVE_EXPIRED_INTERVAL_MS,
                        Type.INT,
                        (int) d.removeExpiredIntervalMs(),
                        Range.atLeast(1),
                        Importance.LOW,
                        "How often expired transactional ids are looked for.");
    }

    static TxnConfig from(Map<String, String> properties) {
        Map<String, Object> v = DEF.parse(properties);
        return new TxnConfig(
                (Integer) v.get(STATE_LOG_PARTITIONS),
                (Short) v.get(STATE_LOG_REPLICATION_FACTOR),
                (Integer) v.get(STATE_LOG_MIN_ISR),
                (Integer) v.get(STATE_LOG_SEGMENT_BYTES),
                (Integer) v.get(MAX_TIMEOUT_MS),
                (Integer) v.get(ID_EXPIRATION_MS),
                (Integer) v.get(ABORT_INTERVAL_MS),
                (Integer) v.get(REMOVE_EXPIRED_INTERVAL_MS));
    }
}
