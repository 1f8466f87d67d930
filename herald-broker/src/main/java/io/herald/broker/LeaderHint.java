package io.herald.broker;

import io.herald.metadata.BrokerEndpoint;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * KIP-951: where a partition's leader is now, sent with NOT_LEADER_OR_FOLLOWER in Produce (v10+) and Fetch (v16+)
 * answers so clients move to the new leader without waiting for a metadata refresh.
 */
record LeaderHint(int leaderId, int leaderEpoch, BrokerEndpoint endpoint, String rack) {

    /** The leader of {@code tp} as this broker's image knows it, on the client's listener; empty if none or us. */
    static Optional<LeaderHint> of(MetadataImage image, TopicPartition tp, String listenerName, int localId) {
        Optional<PartitionRegistration> registration = image.topic(tp.topic()).map(t -> t.partition(tp.partition()));
        if (registration.isEmpty()
                || registration.get().leader() < 0
                || registration.get().leader() == localId) {
            return Optional.empty();
        }
        PartitionRegistration current = registration.get();
        BrokerRegistration broker = image.brokers().get(current.leader());
        if (broker == null) {
            return Optional.empty();
        }
        return broker.endpoint(listenerName)
                .map(e -> new LeaderHint(current.leader(), current.leaderEpoch(), e, broker.rack()));
    }
}
