package io.herald.broker;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.metrics.BrokerTopicMetrics;
import io.herald.replication.IsrChange;
import io.herald.replication.LeaderState;
import io.herald.storage.AppendOrigin;
import io.herald.storage.LogAppendInfo;
import io.herald.storage.LogConfig;
import io.herald.storage.LogManager;
import io.herald.storage.PartitionLog;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, kept in step with the metadata image, and their replication. A partition this
 * broker leads gets a {@link LeaderState} (follower progress, high watermark, ISR proposals sent to the controller as
 * AlterPartition); one it follows is fetched from its leader by {@link ReplicaFetchers}. acks=all produces wait,
 * without a thread, until the high watermark passes them. A deleted topic's logs go; a config change reaches the log.
 */
final class ReplicaManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    private static final int MAX_WAITING_PRODUCES = 100_000;

    private final int nodeId;
    private final LogManager logManager;
    private final MetadataCache cache;
    private final TopicConfigResolver configs;
    private final ReplicationSettings settings;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final FetchWaiters fetchWaiters = new FetchWaiters();
    private final ReplicaFetchers fetchers;
    private final ReplicationThrottles throttles;
    private final IsrUpdater isrUpdater;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "herald-replica-timer");
        thread.setDaemon(true);
        return thread;
    });
    private Map<Integer, BrokerRegistration> knownBrokers = Map.of();
    private final BrokerTopicMetrics topicMetrics;

    ReplicaManager(
            int nodeId,
            LogManager logManager,
            MetadataCache cache,
            TopicConfigResolver configs,
            ReplicationSettings settings,
            ControllerChannel channel,
            LongSupplier brokerEpoch,
            BrokerTopicMetrics topicMetrics) {
        this.nodeId = nodeId;
        this.topicMetrics = topicMetrics;
        this.configs = configs;
        this.logManager = logManager;
        this.cache = cache;
        this.settings = settings;
        this.throttles = new ReplicationThrottles(nodeId, settings.quotaWindows(), settings.quotaWindowSeconds());
        this.fetchers =
                new ReplicaFetchers(nodeId, settings, brokerEpoch, throttles.follower(), fetchWaiters::dataArrived);
        this.isrUpdater = new IsrUpdater(nodeId, channel, brokerEpoch, cache, Math.max(5_000, settings.lagTimeMaxMs()));
        long checkMs = Math.max(10, settings.lagTimeMaxMs() / 2);
        timer.scheduleWithFixedDelay(this::checkLaggingFollowers, checkMs, checkMs, TimeUnit.MILLISECONDS);
    }

    FetchWaiters fetchWaiters() {
        return fetchWaiters;
    }

    /** The replication throttles (leader and follower side) as the metadata image sets them. */
    ReplicationThrottles throttles() {
        return throttles;
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

    // ---- metadata --------------------------------------------------------------------------------------------------

    /** Applies a metadata change (called on the metadata follower's thread, in log order). */
    void onMetadata(MetadataImage image, MetadataDelta delta) {
        throttles.update(image, delta);
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
        if (!image.brokers().equals(knownBrokers)) {
            // A leader may have re-registered at another address: point its followers there.
            knownBrokers = image.brokers();
            partitions.values().stream()
                    .filter(p -> p.leader() == null)
                    .forEach(p -> applyRole(image, p, p.registration()));
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
        if (existing != null && !existing.topicId().equals(topic.id())) {
            removePartition(tp);
            existing = null;
        }
        if (existing == null) {
            PartitionLog log = logManager.getOrCreateLog(tp, topic.id(), logConfig(image, topic.name()));
            existing = new Partition(tp, topic.id(), log, registration, topicMetrics.topic(tp.topic()));
            partitions.put(tp, existing);
        }
        existing.update(registration);
        applyRole(image, existing, registration);
    }

    /** Makes this broker the partition's leader or follower as its registration says. */
    private void applyRole(MetadataImage image, Partition partition, PartitionRegistration registration) {
        TopicPartition tp = partition.topicPartition();
        PartitionLog log = partition.log();
        Lock exclusive = partition.roleLock().writeLock();
        exclusive.lock();
        try {
            if (registration.leader() == nodeId) {
                LeaderState current = partition.leader();
                if (current != null && current.leaderEpoch() == registration.leaderEpoch()) {
                    if (!current.replicas().equals(registration.replicas())) {
                        current.replicasChanged(registration.replicas(), System.currentTimeMillis());
                    }
                    apply(
                            partition,
                            current.isrCommitted(
                                    registration.isr(), registration.partitionEpoch(), log.logEndOffset()));
                    return;
                }
                fetchers.remove(tp);
                long endOffset = log.logEndOffset();
                log.assignEpochStartOffset(registration.leaderEpoch(), endOffset);
                LeaderState state = new LeaderState(
                        nodeId,
                        registration.leaderEpoch(),
                        registration.partitionEpoch(),
                        registration.replicas(),
                        registration.isr(),
                        endOffset,
                        log.highWatermark(),
                        System.currentTimeMillis());
                partition.setLeader(state);
                if (registration.replicas().size() > 1) {
                    LOG.info(
                            "Leading {} at leader epoch {} from offset {} (ISR {}, high watermark {})",
                            tp,
                            registration.leaderEpoch(),
                            endOffset,
                            registration.isr(),
                            log.highWatermark());
                }
                apply(partition, state.leaderAppended(endOffset));
                return;
            }
            if (partition.leader() != null) {
                partition.setLeader(null);
                failWaitingProduces(partition, Errors.NOT_LEADER_OR_FOLLOWER);
            }
            Optional<InetSocketAddress> leaderAddress = address(image, registration.leader());
            if (leaderAddress.isPresent()) {
                fetchers.follow(partition, registration.leader(), registration.leaderEpoch(), leaderAddress.get());
            } else {
                fetchers.remove(tp);
            }
        } finally {
            exclusive.unlock();
        }
        fetchWaiters.dataArrived(tp); // waiting fetches answer NOT_LEADER_OR_FOLLOWER now
    }

    private Optional<InetSocketAddress> address(MetadataImage image, int brokerId) {
        if (brokerId < 0 || brokerId == nodeId) {
            return Optional.empty();
        }
        BrokerRegistration broker = image.brokers().get(brokerId);
        if (broker == null) {
            return Optional.empty();
        }
        return broker.endpoint(settings.interBrokerListener())
                .or(() -> broker.endpoints().stream().findFirst())
                .map(e -> InetSocketAddress.createUnresolved(e.host(), e.port()))
                .map(a -> new InetSocketAddress(a.getHostString(), a.getPort()));
    }

    private void removePartition(TopicPartition tp) {
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            fetchers.remove(tp);
            removed.setLeader(null);
            failWaitingProduces(removed, Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (removed != null || logManager.getLog(tp).isPresent()) {
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
                Partition removed = partitions.remove(tp);
                if (removed != null) {
                    fetchers.remove(tp);
                }
                logManager.markStray(tp);
            }
        }
    }

    // ---- lookups ---------------------------------------------------------------------------------------------------

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

    /**
     * The partition if this broker hosts a replica of it, leader or follower (KIP-392: consumers with Fetch v11+ may
     * read from followers); else UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER.
     */
    Partition hostedPartition(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        return partition != null ? partition : leaderPartition(tp);
    }

    /** The broker's current metadata image. */
    MetadataImage image() {
        return cache.image();
    }

    int nodeId() {
        return nodeId;
    }

    /** KIP-951: the current leader of {@code tp} for a NOT_LEADER_OR_FOLLOWER answer on {@code listenerName}. */
    Optional<LeaderHint> leaderHint(TopicPartition tp, String listenerName) {
        return LeaderHint.of(cache.image(), tp, listenerName, nodeId);
    }

    /** The partitions this broker hosts now (a live view, for metrics). */
    java.util.Collection<Partition> partitions() {
        return partitions.values();
    }

    BrokerTopicMetrics topicMetrics() {
        return topicMetrics;
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

    // ---- the leader's data path ------------------------------------------------------------------------------------

    /**
     * Appends to a partition this broker leads, under its role lock so the write carries the epoch it is led in.
     * With {@code minInsyncReplicas > 0} (acks=all) a committed ISR below it refuses the write (NOT_ENOUGH_REPLICAS).
     */
    LogAppendInfo appendAsLeader(
            Partition partition, MemoryRecords records, AppendOrigin origin, int minInsyncReplicas) {
        LogAppendInfo info;
        Lock shared = partition.roleLock().readLock();
        shared.lock();
        try {
            LeaderState leader = partition.leader();
            if (leader == null || leader.leaderEpoch() != partition.leaderEpoch()) {
                throw new NotLeaderOrFollowerException("This server is not the leader for that topic-partition.");
            }
            int isr = leader.isr().size();
            if (minInsyncReplicas > 0 && isr < minInsyncReplicas) {
                throw new NotEnoughReplicasException("The size of the current ISR " + isr
                        + " is insufficient to satisfy the min.isr requirement of " + minInsyncReplicas
                        + " for partition " + partition.topicPartition());
            }
            info = partition.log().append(records, leader.leaderEpoch(), origin);
        } finally {
            shared.unlock();
        }
        appended(partition);
        return info;
    }

    /** After an append by the leader: move the high watermark if the ISR allows, wake fetches waiting for data. */
    void appended(Partition partition) {
        LeaderState leader = partition.leader();
        if (leader != null) {
            apply(partition, leader.leaderAppended(partition.log().logEndOffset()));
        }
        fetchWaiters.dataArrived(partition.topicPartition());
    }

    /** A follower fetched {@code fetchOffset} of a partition this broker leads. */
    void followerFetched(Partition partition, int replicaId, long fetchOffset, long leaderEndOffset) {
        LeaderState leader = partition.leader();
        if (leader != null) {
            apply(
                    partition,
                    leader.followerFetched(replicaId, fetchOffset, leaderEndOffset, System.currentTimeMillis()));
        }
    }

    /**
     * acks=all: completes once the high watermark passes {@code info} (NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND when
     * the ISR fell below {@code minInsyncReplicas} meanwhile), at leadership loss, or at {@code timeoutMs}.
     */
    CompletableFuture<Errors> awaitReplication(
            Partition partition, LogAppendInfo info, int minInsyncReplicas, long timeoutMs) {
        long required = info.lastOffset() + 1;
        DelayedProduce waiting = new DelayedProduce(required, minInsyncReplicas);
        if (partition.log().highWatermark() >= required) {
            complete(partition, waiting);
            return waiting.result;
        }
        if (!partition.produceWaiters().add(required, waiting, MAX_WAITING_PRODUCES)) {
            return CompletableFuture.completedFuture(Errors.REQUEST_TIMED_OUT);
        }
        waiting.timeout = timer.schedule(
                () -> {
                    if (partition.produceWaiters().remove(required, waiting)) {
                        waiting.complete(Errors.REQUEST_TIMED_OUT);
                    }
                },
                Math.max(0, timeoutMs),
                TimeUnit.MILLISECONDS);
        // The high watermark may have passed, or leadership gone, while this waiter registered.
        if (partition.leader() == null) {
            failWaitingProduces(partition, Errors.NOT_LEADER_OR_FOLLOWER);
        } else {
            releaseProduces(partition);
        }
        return waiting.result;
    }

    private void complete(Partition partition, DelayedProduce waiting) {
        LeaderState leader = partition.leader();
        if (leader == null) {
            waiting.complete(Errors.NOT_LEADER_OR_FOLLOWER);
        } else if (leader.isr().size() < waiting.minInsyncReplicas) {
            waiting.complete(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        } else {
            waiting.complete(Errors.NONE);
        }
    }

    private void releaseProduces(Partition partition) {
        for (DelayedProduce waiting :
                partition.produceWaiters().release(partition.log().highWatermark())) {
            complete(partition, waiting);
        }
    }

    private void failWaitingProduces(Partition partition, Errors error) {
        partition.produceWaiters().drain().forEach(w -> w.complete(error));
    }

    /** Applies what the leader state answered: a new high watermark to the log and waiters, a proposal onwards. */
    private void apply(Partition partition, LeaderState.Update update) {
        if (update.highWatermarkMoved()) {
            partition.log().updateHighWatermark(update.highWatermark());
            releaseProduces(partition);
            fetchWaiters.dataArrived(partition.topicPartition());
        }
        if (update.proposal() != null) {
            propose(partition, update.proposal());
        }
    }

    private void propose(Partition partition, IsrChange change) {
        LeaderState leader = partition.leader();
        if (leader == null) {
            return;
        }
        isrUpdater.propose(partition, change).thenAccept(outcome -> {
            if (partition.leader() != leader) {
                return;
            }
            switch (outcome.error()) {
                case NONE -> {
                    if (outcome.leaderEpoch() != leader.leaderEpoch()) {
                        return; // a newer leadership is on its way in the metadata
                    }
                    LOG.info(
                            "ISR of {} is now {} (partition epoch {})",
                            partition.topicPartition(),
                            outcome.isr(),
                            outcome.partitionEpoch());
                    apply(
                            partition,
                            leader.isrCommitted(
                                    outcome.isr(),
                                    outcome.partitionEpoch(),
                                    partition.log().logEndOffset()));
                }
                case INELIGIBLE_REPLICA, INVALID_REQUEST, UNKNOWN_TOPIC_ID, UNKNOWN_TOPIC_OR_PARTITION -> {
                    // Refused for sure: nothing changed, a later fetch or check may propose again.
                    LOG.debug(
                            "ISR change {} of {} refused: {}",
                            change.isr(),
                            partition.topicPartition(),
                            outcome.error());
                    leader.proposalFailed(change);
                }
                case REQUEST_TIMED_OUT -> {
                    // Unknown whether the controller applied it: ask again with the same proposal (a copy that was
                    // applied already is then refused as stale, and the image brings the result).
                    timer.schedule(
                            () -> {
                                if (partition.leader() == leader && leader.pendingIsrChange() == change) {
                                    propose(partition, change);
                                }
                            },
                            settings.fetchBackoffMs(),
                            TimeUnit.MILLISECONDS);
                }
                default ->
                    // Stale epochs (INVALID_UPDATE_VERSION, FENCED_LEADER_EPOCH) and the like: the metadata image
                    // carries the newer state, which clears the proposal.
                    LOG.debug(
                            "ISR change {} of {} not taken: {}",
                            change.isr(),
                            partition.topicPartition(),
                            outcome.error());
            }
        });
    }

    private void checkLaggingFollowers() {
        try {
            long now = System.currentTimeMillis();
            for (Partition partition : partitions.values()) {
                LeaderState leader = partition.leader();
                if (leader != null) {
                    IsrChange shrink = leader.maybeShrink(now, settings.lagTimeMaxMs());
                    if (shrink != null) {
                        LOG.info(
                                "Shrinking the ISR of {} from {} to {}: the others are more than {} ms behind",
                                partition.topicPartition(),
                                leader.isr(),
                                shrink.isr(),
                                settings.lagTimeMaxMs());
                        propose(partition, shrink);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("The ISR check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        fetchers.close();
        partitions.values().forEach(p -> failWaitingProduces(p, Errors.NOT_LEADER_OR_FOLLOWER));
        fetchWaiters.close();
    }
}
