package io.herald.broker;

import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.storage.LogConfig;
import io.herald.storage.LogManager;
import io.herald.storage.PartitionLog;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in step with the metadata image: a partition assigned to this broker gets a
 * log; a deleted topic's logs go; a config change reaches the log. Until replication lands every replica set has one
 * member, so the leader's high watermark is its log end offset.
 */
final class ReplicaManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    private final int nodeId;
    private final LogManager logManager;
    private final MetadataCache cache;
    private final TopicConfigResolver configs;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final FetchWaiters fetchWaiters = new FetchWaiters();

    ReplicaManager(int nodeId, LogManager logManager, MetadataCache cache, TopicConfigResolver configs) {
        this.nodeId = nodeId;
        this.configs = configs;
        this.logManager = logManager;
        this.cache = cache;
    }

    FetchWaiters fetchWaiters() {
        return fetchWaiters;
    }

    LogConfig logConfig(MetadataImage image, String topic) {
        return configs.logConfig(image, topic);
    }

    /** The topic's {@code min.insync.replicas}: its override, else the broker's setting. */
    int minInsyncReplicas(String topic) {
        return Integer.parseInt(configs.chain(cache.image(), topic, "min.insync.replicas")
                .get(0)
                .value());
    }

    /** Applies a metadata change (called on the metadata follower's thread, in log order). */
    void onMetadata(MetadataImage image, MetadataDelta delta) {
        for (Uuid id : delta.deletedTopics()) {
            TopicImage old = delta.base().topicsById().get(id);
            if (old != null) {
                old.partitions().keySet().forEach(p -> removePartition(new TopicPartition(old.name(), p)));
            }
        }
        for (Uuid id : delta.changedTopics()) {
            image.topic(id).ifPresent(topic -> topic.partitions().forEach((index, registration) -> {
                TopicPartition tp = new TopicPartition(topic.name(), index);
                if (registration.replicas().contains(nodeId)) {
                    host(image, topic, tp, registration);
                } else {
                    removePartition(tp);
                }
            }));
        }
        boolean brokerDefaultsChanged = delta.changedConfigs().stream()
                .anyMatch(k -> k.type() == ConfigResourceType.BROKER
                        && (k.name().isEmpty() || k.name().equals(Integer.toString(nodeId))));
        if (brokerDefaultsChanged) {
            partitions.values().forEach(p -> p.log()
                    .updateConfig(logConfig(image, p.topicPartition().topic())));
        }
        for (MetadataImage.ConfigResourceKey key : delta.changedConfigs()) {
            if (key.type() == ConfigResourceType.TOPIC && !brokerDefaultsChanged) {
                LogConfig config = logConfig(image, key.name());
                partitions.values().stream()
                        .filter(p -> p.topicPartition().topic().equals(key.name()))
                        .forEach(p -> p.log().updateConfig(config));
            }
        }
    }

    private void host(MetadataImage image, TopicImage topic, TopicPartition tp, PartitionRegistration registration) {
        Partition existing = partitions.get(tp);
        if (existing != null && existing.topicId().equals(topic.id())) {
            existing.update(registration);
            return;
        }
        if (existing != null) {
            removePartition(tp);
        }
        PartitionLog log = logManager.getOrCreateLog(tp, topic.id(), logConfig(image, topic.name()));
        // A single replica: everything in the log is committed.
        log.updateHighWatermark(log.logEndOffset());
        partitions.put(tp, new Partition(tp, topic.id(), log, registration));
    }

    private void removePartition(TopicPartition tp) {
        if (partitions.remove(tp) != null || logManager.getLog(tp).isPresent()) {
            logManager.deleteLog(tp);
            LOG.info("Deleted the log of {}", tp);
        }
    }

    /** Sets aside (renames -stray, keeps) logs of topics the caught-up metadata does not know, as Kafka 3.7+. */
    void removeStrayLogs(MetadataImage image) {
        for (PartitionLog log : logManager.allLogs()) {
            TopicPartition tp = log.topicPartition();
            Optional<Uuid> id = logManager.topicId(tp);
            boolean known = image.topic(tp.topic())
                    .map(t -> id.isEmpty() || t.id().equals(id.get()))
                    .orElse(false);
            if (!known) {
                partitions.remove(tp);
                logManager.markStray(tp);
            }
        }
    }

    /** The partition if this broker leads it; else UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER. */
    Partition leaderPartition(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition != null && partition.registration().leader() == nodeId) {
            return partition;
        }
        MetadataImage image = cache.image();
        boolean exists = image.topic(tp.topic())
                .map(t -> t.partition(tp.partition()) != null)
                .orElse(false);
        if (!exists) {
            throw new UnknownTopicOrPartitionException("This server does not host this topic-partition.");
        }
        throw new NotLeaderOrFollowerException("This server is not the leader for that topic-partition.");
    }

    /** Every log this broker hosts. */
    java.util.Collection<PartitionLog> allLogs() {
        return logManager.allLogs();
    }

    /** The log of a partition hosted here, if any. */
    Optional<PartitionLog> leaderLog(String topic, int partition) {
        Partition hosted = partitions.get(new TopicPartition(topic, partition));
        return hosted == null ? Optional.empty() : Optional.of(hosted.log());
    }

    /** Resolves a topic id from a request (Produce v13+, Fetch v13+). */
    String topicName(Uuid topicId) {
        return cache.image()
                .topic(topicId)
                .map(TopicImage::name)
                .orElseThrow(() -> new UnknownTopicIdException("This server does not host this topic ID."));
    }

    /** After an append: advance the high watermark (sole replica) and wake fetches waiting on the partition. */
    void appended(Partition partition) {
        PartitionLog log = partition.log();
        log.updateHighWatermark(log.logEndOffset());
        fetchWaiters.dataArrived(partition.topicPartition());
    }

    @Override
    public void close() {
        fetchWaiters.close();
    }
}
