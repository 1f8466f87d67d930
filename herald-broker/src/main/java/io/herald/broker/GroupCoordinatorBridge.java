package io.herald.broker;

import io.herald.coordinator.GroupConfig;
import io.herald.coordinator.GroupCoordinator;
import io.herald.coordinator.GroupRecord;
import io.herald.coordinator.PartitionStore;
import io.herald.coordinator.TopicsView;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;

/**
 * Connects the group coordinator to the broker: {@code __consumer_offsets} partitions this broker leads are the
 * coordinator's shards (loaded and unloaded as leadership moves in the metadata), their logs are where it writes and
 * what it replays, and the metadata image tells it about topics. Creates the offsets topic on first need.
 */
final class GroupCoordinatorBridge implements PartitionStore, TopicsView {
    static final String OFFSETS_TOPIC = Topic.GROUP_METADATA_TOPIC_NAME;

    private final BrokerSettings settings;
    private final GroupConfig config;
    private final ReplicaManager replicas;
    private final MetadataCache cache;
    private final ControllerChannel channel;
    private final CoordinatorLog log;
    private final InternalTopicCreator creator;
    /** partition -> led by this broker, as last told to the coordinator; metadata thread only. */
    private final Map<Integer, Boolean> leading = new HashMap<>();

    private GroupCoordinator coordinator;

    GroupCoordinatorBridge(
            BrokerSettings settings,
            GroupConfig config,
            ReplicaManager replicas,
            MetadataCache cache,
            ControllerChannel channel) {
        this.settings = settings;
        this.config = config;
        this.replicas = replicas;
        this.cache = cache;
        this.channel = channel;
        this.log = new CoordinatorLog(OFFSETS_TOPIC, replicas);
        Map<String, String> configs = new java.util.LinkedHashMap<>();
        configs.put("cleanup.policy", "compact");
        configs.put("segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes()));
        configs.put("compression.type", "producer");
        this.creator = new InternalTopicCreator(
                channel,
                settings.requestTimeoutMs(),
                OFFSETS_TOPIC,
                config.offsetsTopicPartitions(),
                config.offsetsTopicReplicationFactor(),
                "offsets.topic.replication.factor",
                configs);
    }

    void attach(GroupCoordinator groupCoordinator) {
        this.coordinator = groupCoordinator;
    }

    /** Follows leadership of the offsets topic's partitions (metadata thread, after the replica manager). */
    void onMetadata(MetadataImage image, MetadataDelta delta) {
        java.util.Set<String> deleted = new java.util.HashSet<>();
        for (Uuid id : delta.deletedTopics()) {
            TopicImage old = delta.base().topicsById().get(id);
            if (old != null) {
                deleted.add(old.name());
            }
        }
        coordinator.topicsDeleted(deleted);
        Optional<TopicImage> topic = image.topic(OFFSETS_TOPIC);
        Map<Integer, PartitionRegistration> partitions =
                topic.map(TopicImage::partitions).orElse(Map.of());
        for (Map.Entry<Integer, Boolean> e : Map.copyOf(leading).entrySet()) {
            if (e.getValue() && !partitions.containsKey(e.getKey())) {
                leading.put(e.getKey(), false);
                coordinator.resigned(e.getKey());
            }
        }
        partitions.forEach((index, registration) -> {
            boolean leader = registration.leader() == settings.nodeId();
            Boolean before = leading.put(index, leader);
            if (before == null || before != leader) {
                if (leader) {
                    coordinator.becameLeader(index);
                } else if (before != null) {
                    coordinator.resigned(index);
                }
            }
        });
    }

    /**
     * A transaction marker was appended to (and replicated in) {@code partition} of {@code __consumer_offsets} at
     * {@code markerOffset}: on commit the producer's pending transactional offsets become visible, on abort they go.
     * Called by WriteTxnMarkers.
     */
    void onTransactionMarker(
            TopicPartition partition, long producerId, short producerEpoch, boolean commit, long markerOffset) {
        coordinator.transactionMarker(partition.partition(), producerId, commit);
    }

    // ---- PartitionStore ------------------------------------------------------------------------------------------

    @Override
    public void append(int partition, List<GroupRecord> records) {
        log.append(partition, records);
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> replicated(int partition) {
        return log.replicated(partition);
    }

    @Override
    public void appendTransactional(int partition, List<GroupRecord> records, long producerId, short producerEpoch) {
        log.appendTransactional(partition, records, producerId, producerEpoch);
    }

    @Override
    public void replay(int partition, Consumer<GroupRecord> sink) {
        log.replay(partition, sink);
    }

    @Override
    public void replay(int partition, ReplaySink sink) {
        log.replay(partition, sink);
    }

    // ---- TopicsView ----------------------------------------------------------------------------------------------

    @Override
    public Optional<TopicInfo> byName(String name) {
        return cache.image().topic(name).map(GroupCoordinatorBridge::info);
    }

    @Override
    public Optional<TopicInfo> byId(Uuid id) {
        return cache.image().topic(id).map(GroupCoordinatorBridge::info);
    }

    @Override
    public java.util.Collection<String> names() {
        return cache.image().topicsByName().keySet();
    }

    @Override
    public long version() {
        return cache.image().offset();
    }

    private static TopicInfo info(TopicImage topic) {
        return new TopicInfo(topic.name(), topic.id(), topic.partitions().size());
    }

    // ---- FindCoordinator support ---------------------------------------------------------------------------------

    /**
     * The broker that coordinates a group and its endpoint on the listener, or empty (COORDINATOR_NOT_AVAILABLE) while
     * the offsets topic is being created or the partition has no live leader.
     */
    Optional<BrokerRegistration> coordinatorOf(String groupId) {
        MetadataImage image = cache.image();
        Optional<TopicImage> topic = image.topic(OFFSETS_TOPIC);
        if (topic.isEmpty()) {
            creator.create();
            return Optional.empty();
        }
        PartitionRegistration registration = topic.get().partition(coordinator.partitionFor(groupId));
        if (registration == null || registration.leader() < 0) {
            return Optional.empty();
        }
        return image.broker(registration.leader()).filter(b -> !b.fenced());
    }
}
