package io.herald.broker;

import io.herald.metadata.PartitionRegistration;
import io.herald.storage.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;

/**
 * A partition this broker hosts: its log and its latest registration from the metadata image (leader, epoch, ISR).
 * Registration swaps are atomic; appends are serialized by the log itself.
 */
final class Partition {
    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog log;
    private volatile PartitionRegistration registration;

    Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, PartitionRegistration registration) {
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
        long highWatermark = log.highWatermark();
        if (!readCommitted) {
            return highWatermark;
        }
        long firstUnstable = log.firstUnstableOffset();
        return firstUnstable >= 0 ? Math.min(firstUnstable, highWatermark) : highWatermark;
    }
}
