package io.herald.broker;

import io.herald.coordinator.TransactionCoordinator;
import io.herald.coordinator.TxnConfig;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.internals.Topic;

/**
 * Connects the transaction coordinator to the broker: {@code __transaction_state} partitions this broker leads are its
 * shards (loaded and unloaded as leadership moves, the partition's leader epoch being the coordinator epoch), and
 * FindCoordinator for a transactional id names its partition's leader, creating the topic
 * ({@code transaction.state.log.*}) on first need.
 */
final class TxnCoordinatorBridge {
    static final String TOPIC = Topic.TRANSACTION_STATE_TOPIC_NAME;

    private final BrokerSettings settings;
    private final TxnConfig config;
    private final MetadataCache cache;
    private final ControllerChannel channel;
    private final String interBrokerListener;
    private final InternalTopicCreator creator;
    /** partition -> leader epoch while led by this broker; metadata thread only. */
    private final Map<Integer, Integer> leading = new HashMap<>();

    private TransactionCoordinator coordinator;

    TxnCoordinatorBridge(
            BrokerSettings settings,
            TxnConfig config,
            MetadataCache cache,
            ControllerChannel channel,
            String interBrokerListener) {
        this.settings = settings;
        this.config = config;
        this.cache = cache;
        this.channel = channel;
        this.interBrokerListener = interBrokerListener;
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", "compact");
        configs.put("segment.bytes", Integer.toString(config.stateLogSegmentBytes()));
        configs.put("min.insync.replicas", Integer.toString(config.stateLogMinIsr()));
        configs.put("compression.type", "uncompressed");
        configs.put("unclean.leader.election.enable", "false");
        this.creator = new InternalTopicCreator(
                channel,
                settings.requestTimeoutMs(),
                TOPIC,
                config.stateLogPartitions(),
                config.stateLogReplicationFactor(),
                "transaction.state.log.replication.factor",
                configs);
    }

    void attach(TransactionCoordinator transactionCoordinator) {
        this.coordinator = transactionCoordinator;
    }

    /** Follows leadership of the transaction-state partitions (metadata thread, after the replica manager). */
    void onMetadata(MetadataImage image, MetadataDelta delta) {
        Map<Integer, PartitionRegistration> partitions =
                image.topic(TOPIC).map(TopicImage::partitions).orElse(Map.of());
        for (Integer index : Map.copyOf(leading).keySet()) {
            PartitionRegistration now = partitions.get(index);
            if (now == null || now.leader() != settings.nodeId() || now.leaderEpoch() != leading.get(index)) {
                leading.remove(index);
                coordinator.resigned(index);
            }
        }
        partitions.forEach((index, registration) -> {
            if (registration.leader() == settings.nodeId() && !leading.containsKey(index)) {
                leading.put(index, registration.leaderEpoch());
                coordinator.becameLeader(index, registration.leaderEpoch());
            }
        });
    }

    /** Whether this broker still coordinates the partition at the epoch (markers stop once it does not). */
    boolean stillCoordinating(String transactionalId, int coordinatorEpoch) {
        PartitionRegistration registration = cache.image()
                .topic(TOPIC)
                .map(t -> t.partition(coordinator.partitionFor(transactionalId)))
                .orElse(null);
        return registration != null
                && registration.leader() == settings.nodeId()
                && registration.leaderEpoch() == coordinatorEpoch;
    }

    /** The broker coordinating a transactional id, or empty while the topic is created or the partition leaderless. */
    Optional<BrokerRegistration> coordinatorOf(String transactionalId) {
        MetadataImage image = cache.image();
        Optional<TopicImage> topic = image.topic(TOPIC);
        if (topic.isEmpty()) {
            creator.create();
            return Optional.empty();
        }
        PartitionRegistration registration = topic.get().partition(coordinator.partitionFor(transactionalId));
        if (registration == null || registration.leader() < 0) {
            return Optional.empty();
        }
        return image.broker(registration.leader()).filter(b -> !b.fenced());
    }

    /** The inter-broker address of the broker coordinating a transactional id (for partition leaders adding to it). */
    Optional<InetSocketAddress> coordinatorAddress(String transactionalId) {
        return coordinatorOf(transactionalId).flatMap(this::address);
    }

    Optional<InetSocketAddress> address(BrokerRegistration broker) {
        return broker.endpoint(interBrokerListener)
                .or(() -> broker.endpoints().stream().findFirst())
                .map(e -> new InetSocketAddress(e.host(), e.port()));
    }
}
