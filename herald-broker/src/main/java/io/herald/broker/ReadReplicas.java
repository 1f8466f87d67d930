package io.herald.broker;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.protocol.RequestContext;
import io.herald.replication.LeaderState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.replica.PartitionView;
import org.apache.kafka.common.replica.ReplicaSelector;
import org.apache.kafka.common.replica.ReplicaView;
import org.apache.kafka.common.utils.Utils;

/**
 * Fetch from the closest replica (KIP-392): with {@code replica.selector.class} set (for example kafka-clients'
 * {@code org.apache.kafka.common.replica.RackAwareReplicaSelector}), the leader asks the selector which replica a
 * consumer should read from, given the consumer's {@code client.rack} and the replicas that can serve its fetch offset:
 * the leader and the in-sync followers that are registered, unfenced, reachable on the client's listener and whose log
 * (as the leader last saw it) holds the offset. A choice other than the leader goes back as the partition's
 * {@code preferred_read_replica}, without records. Without the setting every consumer reads from the leader.
 */
final class ReadReplicas implements AutoCloseable {
    static final String SELECTOR_CLASS = "replica.selector.class";

    private final ReplicaSelector selector;

    private ReadReplicas(ReplicaSelector selector) {
        this.selector = selector;
    }

    /** The selector named by {@code replica.selector.class}, configured with the server's properties; none if unset. */
    static ReadReplicas from(Map<String, String> properties) {
        String className = properties.get(SELECTOR_CLASS);
        if (className == null || className.isBlank()) {
            return new ReadReplicas(null);
        }
        try {
            ReplicaSelector selector = Utils.newInstance(className.trim(), ReplicaSelector.class);
            selector.configure(properties);
            return new ReadReplicas(selector);
        } catch (ClassNotFoundException | KafkaException | ClassCastException e) {
            throw new IllegalArgumentException(
                    "Invalid value " + className + " for configuration " + SELECTOR_CLASS + ": " + e.getMessage());
        }
    }

    boolean enabled() {
        return selector != null;
    }

    /**
     * The replica a consumer of {@code tp} at {@code fetchOffset} should read from, if not this leader; -1 for the
     * leader itself (or when no selector is configured).
     */
    int preferred(
            MetadataImage image,
            int localId,
            TopicPartition tp,
            LeaderState leader,
            long fetchOffset,
            long logStartOffset,
            long logEndOffset,
            RequestContext context,
            String rackId) {
        if (selector == null || leader == null) {
            return -1;
        }
        Optional<Node> self = node(image, localId, context.listenerName());
        if (self.isEmpty()) {
            return -1;
        }
        ReplicaView leaderView = new ReplicaView.DefaultReplicaView(self.get(), logEndOffset, 0L);
        Set<ReplicaView> candidates = new HashSet<>();
        candidates.add(leaderView);
        long now = System.currentTimeMillis();
        List<Integer> isr = leader.isr();
        if (fetchOffset >= logStartOffset) {
            for (LeaderState.FollowerProgress follower : leader.followerProgress()) {
                if (!isr.contains(follower.brokerId()) || follower.logEndOffset() < fetchOffset) {
                    continue;
                }
                node(image, follower.brokerId(), context.listenerName())
                        .ifPresent(node -> candidates.add(new ReplicaView.DefaultReplicaView(
                                node, follower.logEndOffset(), Math.max(0, now - follower.lastCaughtUpMs()))));
            }
        }
        ClientMetadata client = new ClientMetadata.DefaultClientMetadata(
                rackId == null ? "" : rackId,
                context.clientId(),
                context.clientAddress(),
                context.principal(),
                context.listenerName());
        Optional<ReplicaView> chosen =
                selector.select(tp, client, new PartitionView.DefaultPartitionView(candidates, leaderView));
        return chosen.filter(view -> view != leaderView && !view.endpoint().isEmpty())
                .map(view -> view.endpoint().id())
                .orElse(-1);
    }

    /** A live (registered, unfenced) broker's endpoint on {@code listenerName}, with its rack. */
    private static Optional<Node> node(MetadataImage image, int brokerId, String listenerName) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        if (broker == null || broker.fenced()) {
            return Optional.empty();
        }
        return broker.endpoint(listenerName).map(e -> new Node(brokerId, e.host(), e.port(), broker.rack()));
    }

    @Override
    public void close() throws Exception {
        if (selector != null) {
            selector.close();
        }
    }
}
