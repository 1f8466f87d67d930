package io.herald.broker;

import io.herald.network.ProtocolClient;
import io.herald.replication.Divergence;
import io.herald.replication.EpochEnd;
import io.herald.storage.EpochEndOffset;
import io.herald.storage.PartitionLog;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.FetchSessionHandler;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.utils.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicates the partitions this broker follows from one leader: fetches with its replica id and broker epoch (Fetch
 * v15+ replica state) from each partition's log end offset, carrying the epoch of its last batch so the leader can
 * point out where the logs diverged; truncates there, appends what the leader sends unchanged, and adopts the leader's
 * high watermark up to its own log end. One thread per fetcher does all of this; the network round trip holds none.
 * Requests go through an incremental fetch session (KIP-227, kafka-clients' {@link FetchSessionHandler} keeps the
 * follower's side): once the session is open a request names only the partitions whose position moved, and the
 * leader answers only those with news, so thousands of idle partitions cost nothing per round.
 */
final class ReplicaFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    /** Fetch v17: topic ids, the replica state field (v15+) and the diverging-epoch answer (v12+). */
    static final short FETCH_VERSION = 17;

    private final int nodeId;
    private final int leaderId;
    private final InetSocketAddress leader;
    private final ReplicationSettings settings;
    private final LongSupplier brokerEpoch;
    private final ReplicationQuota quota;
    private final Consumer<TopicPartition> appended;
    private final ProtocolClient client;
    private final ScheduledExecutorService thread;
    private final Map<TopicPartition, FetchState> states = new LinkedHashMap<>();
    private final FetchSessionHandler session;
    private boolean inFlight;
    private boolean closed;

    /** Where this follower stands in one partition, for the leader epoch it follows. */
    private static final class FetchState {
        final Partition partition;
        final int leaderEpoch;
        long fetchOffset;
        int lastFetchedEpoch;
        long retryAtMs;
        /** Caught up with the leader's high watermark at the last answer: never throttled (Kafka's rule). */
        boolean inSync;

        FetchState(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
            resync();
        }

        void resync() {
            PartitionLog log = partition.log();
            fetchOffset = log.logEndOffset();
            lastFetchedEpoch = log.latestEpoch();
        }
    }

    ReplicaFetcher(
            int nodeId,
            int leaderId,
            InetSocketAddress leader,
            int index,
            ReplicationSettings settings,
            LongSupplier brokerEpoch,
            ReplicationQuota quota,
            Consumer<TopicPartition> appended) {
        this.nodeId = nodeId;
        this.quota = quota;
        this.appended = appended;
        this.leaderId = leaderId;
        this.leader = leader;
        this.settings = settings;
        this.brokerEpoch = brokerEpoch;
        String name = "replica-fetcher-" + nodeId + "-from-" + leaderId + "-" + index;
        this.client = new ProtocolClient(name, settings.interBrokerSecurity());
        this.session = new FetchSessionHandler(new LogContext("[" + name + "] "), leaderId);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    InetSocketAddress leaderAddress() {
        return leader;
    }

    /** Follows {@code partition} at {@code leaderEpoch}; a new epoch restarts from the local log end. */
    void follow(Partition partition, int leaderEpoch) {
        run(() -> {
            TopicPartition tp = partition.topicPartition();
            FetchState current = states.get(tp);
            if (current == null || current.partition != partition || current.leaderEpoch != leaderEpoch) {
                states.put(tp, new FetchState(partition, leaderEpoch));
                LOG.info(
                        "Following {} from broker {} at leader epoch {}, from offset {}",
                        tp,
                        leaderId,
                        leaderEpoch,
                        partition.log().logEndOffset());
            }
            fetchIfIdle();
        });
    }

    void remove(TopicPartition tp) {
        run(() -> states.remove(tp));
    }

    private void run(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void fetchIfIdle() {
        if (inFlight || closed || states.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        FetchSessionHandler.Builder builder = session.newBuilder();
        Map<Uuid, String> names = new HashMap<>();
        long nextRetry = Long.MAX_VALUE;
        int partitions = 0;
        for (Map.Entry<TopicPartition, FetchState> entry : states.entrySet()) {
            FetchState state = entry.getValue();
            Uuid topicId = state.partition.topicId();
            names.put(topicId, entry.getKey().topic());
            if (state.retryAtMs > now) {
                nextRetry = Math.min(nextRetry, state.retryAtMs);
                continue; // left out of this request, and so out of the session until it is due
            }
            int maxBytes = settings.fetchMaxBytes();
            if (!state.inSync && quota.isThrottled(entry.getKey())) {
                long delay = quota.delayMs(now);
                if (delay > 0) {
                    // follower.replication.throttled.rate used up: this replica waits, in-sync ones go on.
                    nextRetry = Math.min(nextRetry, now + delay);
                    continue;
                }
                maxBytes = quota.bound(maxBytes);
            }
            builder.add(
                    entry.getKey(),
                    new FetchRequest.PartitionData(
                            topicId,
                            state.fetchOffset,
                            state.partition.log().logStartOffset(),
                            maxBytes,
                            Optional.of(state.leaderEpoch),
                            Optional.of(state.lastFetchedEpoch)));
            partitions++;
        }
        if (partitions == 0) {
            if (nextRetry != Long.MAX_VALUE) {
                thread.schedule(this::fetchIfIdle, Math.max(1, nextRetry - now), TimeUnit.MILLISECONDS);
            }
            return;
        }
        FetchSessionHandler.FetchRequestData next = builder.build();
        FetchRequestData request = FetchRequest.Builder.forReplica(
                        FETCH_VERSION,
                        nodeId,
                        brokerEpoch.getAsLong(),
                        settings.fetchWaitMaxMs(),
                        settings.fetchMinBytes(),
                        next.toSend())
                .setMaxBytes(settings.fetchResponseMaxBytes())
                .isolationLevel(IsolationLevel.READ_UNCOMMITTED)
                .metadata(next.metadata())
                .removed(next.toForget())
                .replaced(next.toReplace())
                .build(FETCH_VERSION)
                .data();
        inFlight = true;
        long timeoutMs = settings.socketTimeoutMs() + settings.fetchWaitMaxMs();
        client.send(leader, ApiKeys.FETCH, FETCH_VERSION, request, timeoutMs)
                .whenCompleteAsync((response, error) -> completed(response, error, names), thread);
    }

    private void completed(AbstractResponse response, Throwable error, Map<Uuid, String> names) {
        inFlight = false;
        if (closed) {
            return;
        }
        if (error != null) {
            LOG.debug("Fetch from broker {} at {} failed: {}", leaderId, leader, error.toString());
            session.handleError(error);
            delayAll(settings.fetchBackoffMs());
        } else {
            FetchResponse fetch = (FetchResponse) response;
            if (!session.handleResponse(fetch, FETCH_VERSION)) {
                // A session error (or an answer that does not fit the session): the handler starts a new session
                // with a full request; a request-level error waits for the backoff first.
                LOG.debug("Fetch from broker {} answered {}", leaderId, fetch.error());
                if (fetch.error() != Errors.NONE) {
                    delayAll(settings.fetchBackoffMs());
                }
            }
            if (fetch.error() == Errors.NONE) {
                for (FetchResponseData.FetchableTopicResponse topic :
                        fetch.data().responses()) {
                    String name = topic.topic() != null && !topic.topic().isEmpty()
                            ? topic.topic()
                            : names.get(topic.topicId());
                    for (FetchResponseData.PartitionData data : topic.partitions()) {
                        FetchState state =
                                name == null ? null : states.get(new TopicPartition(name, data.partitionIndex()));
                        if (state != null) {
                            handle(state, data);
                        }
                    }
                }
            }
        }
        fetchIfIdle();
    }

    private void delayAll(long backoffMs) {
        long retryAt = System.currentTimeMillis() + backoffMs;
        states.values().forEach(s -> s.retryAtMs = retryAt);
    }

    private void handle(FetchState state, FetchResponseData.PartitionData data) {
        Partition partition = state.partition;
        Lock shared = partition.roleLock().readLock();
        shared.lock();
        try {
            if (partition.leader() != null || partition.leaderEpoch() != state.leaderEpoch) {
                return; // the role changed while the fetch was out: the next metadata update redirects us
            }
            Errors error = Errors.forCode(data.errorCode());
            PartitionLog log = partition.log();
            switch (error) {
                case NONE -> {
                    if (data.divergingEpoch() != null && data.divergingEpoch().epoch() >= 0) {
                        truncateDiverged(state, data.divergingEpoch());
                    } else {
                        append(state, data);
                    }
                }
                case OFFSET_OUT_OF_RANGE -> {
                    if (state.fetchOffset < data.logStartOffset()) {
                        log.truncateFullyAndStartAt(data.logStartOffset());
                    } else if (data.highWatermark() >= 0 && data.highWatermark() < state.fetchOffset) {
                        log.truncateTo(data.highWatermark());
                    }
                    state.resync();
                }
                default -> {
                    LOG.debug("Fetch of {} from broker {} answered {}", partition.topicPartition(), leaderId, error);
                    state.retryAtMs = System.currentTimeMillis() + settings.fetchBackoffMs();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Replicating {} from broker {} failed: {}", partition.topicPartition(), leaderId, e.toString());
            state.resync();
            state.retryAtMs = System.currentTimeMillis() + settings.fetchBackoffMs();
        } finally {
            shared.unlock();
        }
    }

    private void truncateDiverged(FetchState state, FetchResponseData.EpochEndOffset diverging) {
        PartitionLog log = state.partition.log();
        EpochEnd leaderEnd = new EpochEnd(diverging.epoch(), diverging.endOffset());
        long cut = Divergence.truncationOffset(
                leaderEnd, epoch -> epochEnd(log.endOffsetForEpoch(epoch)), log.logStartOffset(), log.logEndOffset());
        if (log.truncateTo(cut)) {
            LOG.info(
                    "Truncated {} to {}: it diverged from the leader's log after epoch {}",
                    state.partition.topicPartition(),
                    cut,
                    diverging.epoch());
        }
        state.resync();
    }

    private void append(FetchState state, FetchResponseData.PartitionData data) {
        PartitionLog log = state.partition.log();
        MemoryRecords records = (MemoryRecords) FetchResponse.recordsOrFail(data);
        if (records.sizeInBytes() > 0) {
            log.appendAsFollower(records);
            state.partition.metrics().replicatedIn(records.sizeInBytes());
            if (quota.isThrottled(state.partition.topicPartition())) {
                quota.record(records.sizeInBytes(), System.currentTimeMillis());
            }
        }
        state.resync();
        state.inSync = data.highWatermark() >= 0 && state.fetchOffset >= data.highWatermark();
        long highWatermark = log.highWatermark();
        if (data.highWatermark() >= 0) {
            log.updateHighWatermark(Math.min(data.highWatermark(), log.logEndOffset()));
        }
        if (log.highWatermark() != highWatermark) {
            appended.accept(state.partition.topicPartition()); // consumers reading from this follower (KIP-392)
        }
        long leaderStart = data.logStartOffset();
        if (leaderStart > log.logStartOffset() && leaderStart <= log.highWatermark()) {
            log.deleteRecordsBefore(leaderStart);
        }
    }

    @Override
    public void close() {
        run(() -> closed = true);
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }

    @Override
    public String toString() {
        return "ReplicaFetcher(" + nodeId + " <- " + leaderId + " at " + leader + ")";
    }

    /** A storage epoch end as the replication rules read it. */
    static EpochEnd epochEnd(EpochEndOffset end) {
        return end.leaderEpoch() < 0 ? EpochEnd.UNDEFINED : new EpochEnd(end.leaderEpoch(), end.endOffset());
    }
}
