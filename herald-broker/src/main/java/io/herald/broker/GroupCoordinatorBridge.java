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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the group coordinator to the broker: {@code __consumer_offsets} partitions this broker leads are the
 * coordinator's shards (loaded and unloaded as leadership moves in the metadata), their logs are where it writes and
 * what it replays, and the metadata image tells it about topics. Creates the offsets topic on first need.
 */
final class GroupCoordinatorBridge implements PartitionStore, TopicsView {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorBridge.class);
    static final String OFFSETS_TOPIC = Topic.GROUP_METADATA_TOPIC_NAME;
    private static final short CREATE_TOPICS_VERSION = 7;
    private static final long CREATE_WARNING_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    private final BrokerSettings settings;
    private final GroupConfig config;
    private final ReplicaManager replicas;
    private final MetadataCache cache;
    private final ControllerChannel channel;
    private final CoordinatorLog log;
    private final AtomicBoolean creating = new AtomicBoolean();
    /** When the last failure to create the offsets topic was logged: clients retry often, the log says it once a minute. */
    private volatile long lastCreateWarningNanos = System.nanoTime() - CREATE_WARNING_INTERVAL_NANOS;
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
            createOffsetsTopic();
            return Optional.empty();
        }
        PartitionRegistration registration = topic.get().partition(coordinator.partitionFor(groupId));
        if (registration == null || registration.leader() < 0) {
            return Optional.empty();
        }
        return image.broker(registration.leader()).filter(b -> !b.fenced());
    }

    private void createOffsetsTopic() {
        if (!creating.compareAndSet(false, true)) {
            return;
        }
        CreateTopicsRequestData.CreatableTopic topic = new CreateTopicsRequestData.CreatableTopic()
                .setName(OFFSETS_TOPIC)
                .setNumPartitions(config.offsetsTopicPartitions())
                .setReplicationFactor(config.offsetsTopicReplicationFactor());
        topic.configs().add(config("cleanup.policy", "compact"));
        topic.configs().add(config("segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes())));
        topic.configs().add(config("compression.type", "producer"));
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs((int) settings.requestTimeoutMs());
        request.topics().add(topic);
        channel.<CreateTopicsResponseData>send(
                        ApiKeys.CREATE_TOPICS, CREATE_TOPICS_VERSION, request, settings.requestTimeoutMs())
                .whenComplete((response, error) -> {
                    creating.set(false);
                    if (error != null) {
                        if (warningDue()) {
                            LOG.warn("Creating {} failed: {}", OFFSETS_TOPIC, error.getMessage());
                        }
                        return;
                    }
                    CreateTopicsResponseData.CreatableTopicResult result =
                            response.topics().find(OFFSETS_TOPIC);
                    Errors outcome = result == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forCode(result.errorCode());
                    if (outcome == Errors.NONE) {
                        LOG.info(
                                "Created {} with {} partition(s) and replication factor {}",
                                OFFSETS_TOPIC,
                                config.offsetsTopicPartitions(),
                                config.offsetsTopicReplicationFactor());
                    } else if (outcome != Errors.TOPIC_ALREADY_EXISTS && warningDue()) {
                        LOG.warn(
                                "Creating {} failed: {} {} (offsets.topic.replication.factor={})",
                                OFFSETS_TOPIC,
                                outcome,
                                result == null ? "" : result.errorMessage(),
                                config.offsetsTopicReplicationFactor());
                    }
                });
    }

    private boolean warningDue() {
        long now = System.nanoTime();
        if (now - lastCreateWarningNanos < CREATE_WARNING_INTERVAL_NANOS) {
            return false;
        }
        lastCreateWarningNanos = now;
        return true;
    }

    private static CreateTopicsRequestData.CreatableTopicConfig config(String name, String value) {
        return new CreateTopicsRequestData.CreatableTopicConfig().setName(name).setValue(value);
    }
}
