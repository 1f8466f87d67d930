package io.herald.coordinator;

import io.herald.common.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator runtime: one shard per {@code __consumer_offsets} partition this broker leads, every shard's
 * events run one at a time on the coordinator thread (no locks in the logic), records are written before replies go
 * out, and a timer drives sessions, rebalance deadlines and offset expiry. Shards load by replaying their partition.
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    private static final long TICK_INTERVAL_MS = 100;
    private static final String OFFSETS_TOPIC = "__consumer_offsets";

    private final GroupConfig config;
    private final Clock clock;
    private final PartitionStore store;
    private final TopicsView topics;
    private final ScheduledExecutorService thread;
    private final ExecutorService loader;
    /** Touched only on the coordinator thread. */
    private final Map<Integer, GroupShard> active = new HashMap<>();
    /** partition -> load attempt, so a load that lost its leadership meanwhile is dropped. Coordinator thread only. */
    private final Map<Integer, Long> loading = new HashMap<>();

    private long loadAttempts;

    public GroupCoordinator(GroupConfig config, Clock clock, PartitionStore store, TopicsView topics) {
        this.config = config;
        this.clock = clock;
        this.store = store;
        this.topics = topics;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "herald-group-coordinator"));
        this.loader = Executors.newSingleThreadExecutor(r -> daemon(r, "herald-group-loader"));
        thread.scheduleAtFixedRate(this::tick, TICK_INTERVAL_MS, TICK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public GroupConfig config() {
        return config;
    }

    /**
     * The offsets-topic partition of a group: by the topic's real partition count once it exists (it may have been
     * created some other way than with {@code offsets.topic.num.partitions}), else by the configured count. The hash is
     * Kafka's, so Kafka's tools agree on where a group lives.
     */
    public int partitionFor(String groupId) {
        int partitions = topics.byName(OFFSETS_TOPIC)
                .map(TopicsView.TopicInfo::partitionCount)
                .filter(count -> count > 0)
                .orElse(config.offsetsTopicPartitions());
        return ((groupId == null ? "" : groupId).hashCode() & 0x7fffffff) % partitions;
    }

    // ---- leadership ----------------------------------------------------------------------------------------------

    /** This broker now leads the partition: replay it, then serve its groups. */
    public void becameLeader(int partition) {
        thread.execute(() -> {
            if (active.containsKey(partition) || loading.containsKey(partition)) {
                return;
            }
            long attempt = ++loadAttempts;
            loading.put(partition, attempt);
            long startNanos = clock.nanos();
            // The shard is built on the loader thread, record by record (memory follows the groups' state, not the
            // log's length), and only handed to the coordinator thread once complete.
            loader.execute(() -> {
                long nowMs = clock.millis();
                GroupShard shard = new GroupShard(partition, config, topics, nowMs);
                long[] counts = new long[2]; // records, unreadable records
                try {
                    store.replay(partition, new PartitionStore.ReplaySink() {
                        @Override
                        public void record(GroupRecord record, long producerId) {
                            counts[0]++;
                            try {
                                shard.replay(record, producerId, nowMs);
                            } catch (IllegalArgumentException e) {
                                counts[1]++;
                            }
                        }

                        @Override
                        public void marker(long producerId, boolean commit) {
                            shard.offsets.transactionEnded(producerId, commit);
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.warn("Loading __consumer_offsets-{} failed: {}", partition, e.toString());
                    thread.execute(() -> loading.remove(partition, attempt));
                    return;
                }
                thread.execute(() -> finishLoad(shard, attempt, counts, startNanos));
            });
        });
    }

    private void finishLoad(GroupShard shard, long attempt, long[] counts, long startNanos) {
        if (!loading.remove(shard.partition, attempt)) {
            return;
        }
        active.put(shard.partition, shard);
        LOG.info(
                "Loaded __consumer_offsets-{}: {} record(s), {} group(s) in {} ms{}",
                shard.partition,
                counts[0],
                shard.groups.size(),
                TimeUnit.NANOSECONDS.toMillis(clock.nanos() - startNanos),
                counts[1] > 0 ? ", " + counts[1] + " unreadable record(s) skipped" : "");
    }

    /** Topics were deleted: their committed offsets go too, in every group this broker coordinates (as Kafka). */
    public void topicsDeleted(Set<String> topicNames) {
        if (topicNames.isEmpty()) {
            return;
        }
        thread.execute(() -> {
            for (GroupShard shard : List.copyOf(active.values())) {
                Effects fx = new Effects();
                shard.offsets.deleteTopics(topicNames, fx);
                flush(shard, fx);
            }
        });
    }

    /** This broker no longer leads the partition: drop its groups (the new leader replays them). */
    public void resigned(int partition) {
        thread.execute(() -> {
            loading.remove(partition);
            GroupShard shard = active.remove(partition);
            if (shard != null) {
                shard.unloaded();
                LOG.info("Unloaded __consumer_offsets-{}: this broker no longer leads it", partition);
            }
        });
    }

    // ---- the event loop ------------------------------------------------------------------------------------------

    /** Runs an event on the group's shard; fails with NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS when it can't. */
    private <T> CompletableFuture<T> onShard(String groupId, Function<GroupShard, T> event) {
        int partition = partitionFor(groupId);
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(result, () -> {
            GroupShard shard = shard(partition);
            answer(shard, result, event.apply(shard));
        });
        return result;
    }

    /**
     * Completes {@code result} with {@code value} once the shard's writes so far are replicated (at once when they
     * are): what a client hears never depends on a write a failover could lose. Runs on the coordinator thread.
     */
    private <T> void answer(GroupShard shard, CompletableFuture<T> result, T value) {
        shard.durable = Durability.current(shard.durable, store, shard.partition);
        Durability.answerAfter(shard.durable, result, value);
    }

    private GroupShard shard(int partition) {
        GroupShard shard = active.get(partition);
        if (shard != null) {
            return shard;
        }
        if (loading.containsKey(partition)) {
            throw new CoordinatorLoadInProgressException(
                    "The coordinator is loading __consumer_offsets-" + partition + ".");
        }
        throw new NotCoordinatorException("This is not the coordinator of __consumer_offsets-" + partition + ".");
    }

    private void execute(CompletableFuture<?> result, Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new NotCoordinatorException("The coordinator is shutting down."));
        }
    }

    /**
     * Writes what an event decided, then lets its replies go; returns false when the write failed, which unloads the
     * shard (its state may hold what the log does not).
     */
    private boolean flush(GroupShard shard, Effects fx) {
        boolean written = true;
        if (!fx.records().isEmpty() || !fx.transactionalRecords().isEmpty()) {
            try {
                if (!fx.records().isEmpty()) {
                    store.append(shard.partition, fx.records());
                }
                if (!fx.transactionalRecords().isEmpty()) {
                    store.appendTransactional(
                            shard.partition, fx.transactionalRecords(), fx.producerId(), fx.producerEpoch());
                }
                shard.durable = Durability.await(store, shard.partition);
            } catch (RuntimeException e) {
                written = false;
                LOG.warn(
                        "Writing to __consumer_offsets-{} failed, unloading its groups: {}",
                        shard.partition,
                        e.toString());
                if (active.remove(shard.partition, shard)) {
                    shard.unloaded();
                }
            }
        }
        fx.replies().forEach(Runnable::run);
        if (written && fx.wakeAtMs() != Long.MAX_VALUE) {
            scheduleTick(shard, fx.wakeAtMs());
        }
        return written;
    }

    /**
     * Runs the shard's timers at {@code atMs} rather than at the next regular tick. Tasks due at the same time run in
     * submission order, so a wake-up due now runs after the requests already queued.
     */
    private void scheduleTick(GroupShard shard, long atMs) {
        long delayMs = Math.max(0, atMs - clock.millis());
        if (delayMs >= TICK_INTERVAL_MS) {
            return; // the regular tick comes first
        }
        try {
            thread.schedule(() -> tick(shard), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: nothing to wake
        }
    }

    /** For an event whose answer is its return value: a failed write answers NOT_COORDINATOR instead. */
    private void flushOrFail(GroupShard shard, Effects fx) {
        if (!flush(shard, fx)) {
            throw new NotCoordinatorException(
                    "Could not write to __consumer_offsets-" + shard.partition + "; find the coordinator again.");
        }
    }

    private void tick() {
        for (GroupShard shard : List.copyOf(active.values())) {
            tick(shard);
        }
    }

    private void tick(GroupShard shard) {
        if (active.get(shard.partition) != shard) {
            return; // unloaded since the wake-up was asked for
        }
        Effects fx = new Effects();
        try {
            shard.tick(clock.millis(), fx);
        } catch (RuntimeException e) {
            LOG.error("Timer of __consumer_offsets-{} failed", shard.partition, e);
        }
        flush(shard, fx);
    }

    // ---- classic protocol ----------------------------------------------------------------------------------------

    public CompletableFuture<JoinGroupResponseData> joinGroup(
            JoinGroupRequestData data, short version, String clientId, String clientHost) {
        CompletableFuture<JoinGroupResponseData> result = new CompletableFuture<>();
        ClassicGroups.Join join = ClassicGroups.joinOf(data, version, clientId, clientHost);
        int partition = partitionFor(data.groupId());
        execute(result, () -> {
            GroupShard shard = shard(partition);
            Effects fx = new Effects();
            shard.classic.join(join, clock.millis(), response -> answer(shard, result, response), fx);
            flush(shard, fx);
        });
        return result;
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData data) {
        CompletableFuture<SyncGroupResponseData> result = new CompletableFuture<>();
        int partition = partitionFor(data.groupId());
        execute(result, () -> {
            GroupShard shard = shard(partition);
            Effects fx = new Effects();
            shard.membership.sync(data, clock.millis(), response -> answer(shard, result, response), fx);
            flush(shard, fx);
        });
        return result;
    }

    public CompletableFuture<Errors> heartbeat(String groupId, String memberId, String instanceId, int generationId) {
        return onShard(
                groupId,
                shard -> shard.membership.heartbeat(groupId, memberId, instanceId, generationId, clock.millis()));
    }

    public CompletableFuture<List<MemberResponse>> leaveGroup(String groupId, List<MemberIdentity> members) {
        return onShard(groupId, shard -> {
            Effects fx = new Effects();
            List<MemberResponse> responses = shard.membership.leave(groupId, members, clock.millis(), fx);
            flushOrFail(shard, fx);
            return responses;
        });
    }

    // ---- consumer protocol (KIP-848) -----------------------------------------------------------------------------

    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            ConsumerGroupHeartbeatRequestData data, String clientId, String clientHost) {
        return onShard(data.groupId(), shard -> {
            Effects fx = new Effects();
            ConsumerGroupHeartbeatResponseData response =
                    shard.consumer.heartbeat(data, clientId, clientHost, clock.millis(), fx);
            flushOrFail(shard, fx);
            return response;
        });
    }

    public CompletableFuture<ConsumerGroupDescribeResponseData.DescribedGroup> consumerGroupDescribe(String groupId) {
        return onShard(groupId, shard -> shard.admin.describeConsumerGroup(groupId));
    }

    // ---- offsets -------------------------------------------------------------------------------------------------

    public CompletableFuture<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData data, short version) {
        return onShard(data.groupId(), shard -> {
            Effects fx = new Effects();
            OffsetCommitResponseData response = shard.offsets.commit(data, version, clock.millis(), fx);
            flushOrFail(shard, fx);
            return response;
        });
    }

    /** A group's committed offsets: a null offset for a partition without one. */
    public record FetchedOffsets(
            Errors error, Map<TopicPartition, CommittedOffsetView> offsets, Set<TopicPartition> unstable) {
        public FetchedOffsets(Errors error, Map<TopicPartition, CommittedOffsetView> offsets) {
            this(error, offsets, Set.of());
        }
    }

    public record CommittedOffsetView(long offset, int leaderEpoch, String metadata) {}

    /** {@code partitions} null fetches all of the group's offsets. */
    public CompletableFuture<FetchedOffsets> fetchOffsets(
            String groupId, List<TopicPartition> partitions, String memberId, int memberEpoch) {
        return onShard(groupId, shard -> {
            Errors error = shard.offsets.validateFetch(groupId, memberId, memberEpoch);
            if (error != Errors.NONE) {
                return new FetchedOffsets(error, Map.of());
            }
            Map<TopicPartition, CommittedOffsetView> result = new java.util.LinkedHashMap<>();
            shard.offsets
                    .fetch(groupId, partitions)
                    .forEach((tp, o) -> result.put(
                            tp, o == null ? null : new CommittedOffsetView(o.offset(), o.leaderEpoch(), o.metadata())));
            // Partitions with offsets in a transaction not yet ended: OffsetFetch with requireStable waits for them.
            return new FetchedOffsets(Errors.NONE, result, shard.offsets.pendingPartitions(groupId));
        });
    }

    /** TxnOffsetCommit: offsets committed in the producer's transaction, counted once its commit marker lands. */
    public CompletableFuture<TxnOffsetCommitResponseData> txnCommitOffsets(TxnOffsetCommitRequestData data) {
        return onShard(data.groupId(), shard -> {
            Effects fx = new Effects();
            TxnOffsetCommitResponseData response = shard.offsets.txnCommit(data, clock.millis(), fx);
            flushOrFail(shard, fx);
            return response;
        });
    }

    /** A commit or abort marker of the producer landed on an offsets partition this broker leads. */
    public void transactionMarker(int partition, long producerId, boolean commit) {
        thread.execute(() -> {
            GroupShard shard = active.get(partition);
            if (shard != null) {
                shard.offsets.transactionEnded(producerId, commit);
            }
        });
    }

    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData data) {
        return onShard(data.groupId(), shard -> {
            Effects fx = new Effects();
            OffsetDeleteResponseData response = shard.offsets.delete(data, fx);
            flushOrFail(shard, fx);
            return response;
        });
    }

    // ---- admin ---------------------------------------------------------------------------------------------------

    /** The groups of every shard this broker coordinates; error COORDINATOR_LOAD_IN_PROGRESS while any is loading. */
    public record ListedGroups(Errors error, List<ListGroupsResponseData.ListedGroup> groups) {}

    public CompletableFuture<ListedGroups> listGroups(List<String> statesFilter, List<String> typesFilter) {
        Set<String> states = lower(statesFilter);
        Set<String> types = lower(typesFilter);
        CompletableFuture<ListedGroups> result = new CompletableFuture<>();
        execute(result, () -> {
            List<ListGroupsResponseData.ListedGroup> groups = new ArrayList<>();
            active.values().forEach(shard -> groups.addAll(shard.admin.list(states, types)));
            Errors error = loading.isEmpty() ? Errors.NONE : Errors.COORDINATOR_LOAD_IN_PROGRESS;
            result.complete(new ListedGroups(error, groups));
        });
        return result;
    }

    private static Set<String> lower(List<String> values) {
        return values == null
                ? Set.of()
                : values.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    public CompletableFuture<DescribeGroupsResponseData.DescribedGroup> describeGroup(String groupId, short version) {
        return onShard(groupId, shard -> shard.admin.describe(groupId, version));
    }

    public CompletableFuture<Errors> deleteGroup(String groupId) {
        return onShard(groupId, shard -> {
            Effects fx = new Effects();
            Errors error = shard.admin.delete(groupId, fx);
            if (error == Errors.NONE) {
                LOG.info("Deleted group {}", groupId);
            }
            flushOrFail(shard, fx);
            return error;
        });
    }

    @Override
    public void close() {
        loader.shutdownNow();
        thread.shutdownNow();
    }
}
