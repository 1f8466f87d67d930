package io.herald.broker;

import io.herald.metadata.PartitionRegistration;
import io.herald.metrics.BrokerTopicMetrics;
import io.herald.replication.LeaderState;
import io.herald.replication.OffsetWaiters;
import io.herald.storage.PartitionLog;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;

/**
 * A partition this broker hosts: its log, its latest registration from the metadata image (leader, epoch, ISR) and,
 * while this broker leads it, the leader's replication state and the acks=all produces waiting for the high
 * watermark. A role change takes the role lock exclusively; appends take it shared and check the role they expect,
 * so no write lands under a role the partition no longer has.
 */
final class Partition {
    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog log;
    private final ReentrantReadWriteLock roleLock = new ReentrantReadWriteLock();
    private final OffsetWaiters<DelayedProduce> produceWaiters = new OffsetWaiters<>();
    private volatile PartitionRegistration registration;
    private volatile LeaderState leader;
    private final BrokerTopicMetrics.Topic metrics;

    Partition(
            TopicPartition topicPartition,
            Uuid topicId,
            PartitionLog log,
            PartitionRegistration registration,
            BrokerTopicMetrics.Topic metrics) {
        this.metrics = metrics;
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.registration = registration;
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    Uuid topicId() {
        return topicId;
    }

    /** Its topic's BrokerTopicMetrics meters. */
    BrokerTopicMetrics.Topic metrics() {
        return metrics;
    }

    PartitionLog log() {
        return log;
    }

    PartitionRegistration registration() {
        return registration;
    }

    void update(PartitionRegistration next) {
        registration = next;
    }

    int leaderEpoch() {
        return registration.leaderEpoch();
    }

    /** The leader's replication state while this broker leads the partition, else null. */
    LeaderState leader() {
        return leader;
    }

    void setLeader(LeaderState state) {
        leader = state;
    }

    ReentrantReadWriteLock roleLock() {
        return roleLock;
    }

    OffsetWaiters<DelayedProduce> produceWaiters() {
        return produceWaiters;
    }

    /** Checks a client's view of the leader epoch (KIP-320): -1 skips the check. */
    void validateLeaderEpoch(int currentLeaderEpoch) {
        if (currentLeaderEpoch < 0) {
            return;
        }
        int epoch = registration.leaderEpoch();
        if (currentLeaderEpoch < epoch) {
            throw new FencedLeaderEpochException("The leader epoch in the request (" + currentLeaderEpoch
                    + ") is older than the current leader epoch " + epoch + " of " + topicPartition);
        }
        if (currentLeaderEpoch > epoch) {
            throw new UnknownLeaderEpochException("The leader epoch in the request (" + currentLeaderEpoch
                    + ") is newer than the current leader epoch " + epoch + " of " + topicPartition);
        }
    }

    /** The offset a fetch of this isolation may read up to, exclusive: the high watermark or the last stable offset. */
    long maxReadableOffset(boolean readCommitted) {
        return readCommitted ? log.lastStableOffset() : log.highWatermark();
    }
}
