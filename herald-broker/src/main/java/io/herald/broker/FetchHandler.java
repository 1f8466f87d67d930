package io.herald.broker;

import io.herald.metrics.BrokerTopicMetrics;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import io.herald.replication.Divergence;
import io.herald.replication.EpochEnd;
import io.herald.replication.LeaderState;
import io.herald.storage.AbortedTxn;
import io.herald.storage.FetchDataInfo;
import io.herald.storage.PartitionLog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetch for consumers and followers. Consumers read each partition up to its high watermark (or last stable offset
 * for read_committed); followers (a replica id in the request) read up to the log end, report their progress to the
 * partition's leader state, and are told where their log diverged after a leader change. Reads are slices of the
 * segment files, which go out with zero copy; max_bytes, per-partition max bytes and Kafka's "first batch even if
 * larger" rule hold, and the request long-polls up to max_wait_ms when min_bytes is not met. Fetch sessions (KIP-227,
 * {@link FetchSessions}) decide which partitions a request reads and which of their answers go back.
 */
final class FetchHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FetchHandler.class);
    private static final byte READ_COMMITTED = 1;
    private static final String CLUSTER = io.herald.metadata.AclAuthorizer.CLUSTER_NAME;

    private final ReplicaManager replicas;
    private final FetchSessions sessions;
    private final RequestAuthorizer authorizer;
    private final ReadReplicas readReplicas;

    FetchHandler(
            ReplicaManager replicas, FetchSessions sessions, RequestAuthorizer authorizer, ReadReplicas readReplicas) {
        this.replicas = replicas;
        this.readReplicas = readReplicas;
        this.sessions = sessions;
        this.authorizer = authorizer;
    }

    /**
     * One requested partition, resolved to a topic name (or an error when its topic id is unknown), and whether the
     * principal may read it (a follower: CLUSTER_ACTION on the cluster; a consumer: READ on the topic).
     */
    private record Target(
            FetchRequestData.FetchTopic topic,
            String name,
            FetchRequestData.FetchPartition partition,
            boolean authorized) {}

    private record Result(FetchResponseData response, long bytes, boolean error) {}

    /** KIP-951 leader hints gathered while answering one request (Fetch v16+). */
    private record Hints(String listenerName, Map<Integer, LeaderHint> found) {}

    /** A consumer's Fetch v11+ (KIP-392): it may read from a follower and be sent to a preferred read replica. */
    private record Closest(RequestContext context, String rackId) {}

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        FetchRequestData data = ((FetchRequest) request).data();
        int replicaId = ((FetchRequest) request).replicaId();
        boolean readCommitted = data.isolationLevel() == READ_COMMITTED;
        FetchSessions.Context session = sessions.open(data, replicaId >= 0);
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(session.complete(null));
        }
        List<Target> targets = new ArrayList<>();
        Set<TopicPartition> watched = new HashSet<>();
        boolean followerAuthorized = replicaId < 0 || authorizer.authorize(context, ResourceType.CLUSTER, CLUSTER);
        for (FetchRequestData.FetchTopic topic : session.topics()) {
            String name = topic.topic();
            if ((name == null || name.isEmpty()) && !Uuid.ZERO_UUID.equals(topic.topicId())) {
                try {
                    name = replicas.topicName(topic.topicId());
                } catch (ApiException e) {
                    name = null;
                }
            }
            boolean authorized = replicaId >= 0
                    ? followerAuthorized
                    : name == null || authorizer.authorize(context, ResourceType.TOPIC, name);
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                targets.add(new Target(topic, name, partition, authorized));
                if (name != null && authorized) {
                    watched.add(new TopicPartition(name, partition.partition()));
                }
            }
        }
        // Taken before the first read: anything that becomes visible after it shows as a change (see visibility).
        long[] seen = data.maxWaitMs() > 0 ? visibility(watched, readCommitted, replicaId) : null;
        Result first = read(targets, data, readCommitted, replicaId, context);
        if (data.maxWaitMs() <= 0
                || first.bytes() >= data.minBytes()
                || first.error()
                || watched.isEmpty()
                || !replicas.fetchWaiters().hasRoom()) {
            return CompletableFuture.completedFuture(session.complete(measured(targets, first.response(), replicaId)));
        }
        CompletableFuture<ApiMessage> response = new CompletableFuture<>();
        replicas.fetchWaiters().await(watched, data.maxWaitMs(), deadline -> {
            if (!deadline && java.util.Arrays.equals(seen, visibility(watched, readCommitted, replicaId))) {
                return false; // an append this fetch cannot see yet (above the high watermark or the LSO)
            }
            Result again = read(targets, data, readCommitted, replicaId, context);
            if (deadline || again.bytes() >= data.minBytes() || again.error()) {
                response.complete(session.complete(measured(targets, again.response(), replicaId)));
                return true;
            }
            return false;
        });
        return response;
    }

    /**
     * What decides whether a waiting fetch can have something new, per watched partition, without reading it: the
     * partition's identity, leader epoch and role, its log start and the end this fetch may read up to (the log end for
     * a follower, else the high watermark or the last stable offset). An append that moves none of them (a write
     * above a high watermark that waits for followers, records of an open transaction for read_committed) costs the
     * waiting fetch no read; any change, leadership included, leads to a real read.
     */
    private long[] visibility(Set<TopicPartition> watched, boolean readCommitted, int replicaId) {
        long[] state = new long[watched.size() * 5];
        int i = 0;
        for (TopicPartition tp : watched) {
            try {
                Partition partition = replicas.hostedPartition(tp);
                state[i] = System.identityHashCode(partition);
                state[i + 1] = partition.leaderEpoch();
                state[i + 2] = partition.leader() == null ? 0 : 1;
                state[i + 3] = partition.log().logStartOffset();
                state[i + 4] =
                        replicaId >= 0 ? partition.log().logEndOffset() : partition.maxReadableOffset(readCommitted);
            } catch (RuntimeException e) {
                state[i] = Long.MIN_VALUE; // gone or not hosted: a read answers it
            }
            i += 5;
        }
        return state;
    }

    /**
     * Counts the answer once, when it is sent (not each long-poll retry): bytes out per topic, consumer or replica,
     * and failed partitions (under all topics only when the topic is not hosted here, to bound the series). The
     * response lists the partitions in the order of {@code targets}, which carry the resolved topic names; it is
     * measured whole, before an incremental fetch session leaves out the partitions that did not change.
     */
    private FetchResponseData measured(List<Target> targets, FetchResponseData response, int replicaId) {
        BrokerTopicMetrics metrics = replicas.topicMetrics();
        boolean replica = replicaId >= 0;
        int index = 0;
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            for (PartitionData partition : topic.partitions()) {
                String name = index < targets.size() ? targets.get(index).name() : null;
                index++;
                int size = partition.records() == null ? 0 : partition.records().sizeInBytes();
                metrics.hostedOrAll(name).fetched(size, replica, partition.errorCode() != Errors.NONE.code());
                if (replica && size > 0 && name != null) {
                    TopicPartition tp = new TopicPartition(name, partition.partitionIndex());
                    if (replicas.throttles().leader().isThrottled(tp)) {
                        replicas.throttles().leader().record(size, System.currentTimeMillis());
                    }
                }
            }
        }
        return response;
    }

    private Result read(
            List<Target> targets, FetchRequestData data, boolean readCommitted, int replicaId, RequestContext context) {
        FetchResponseData response = new FetchResponseData().setSessionId(0);
        Hints hints = context.apiVersion() >= 16 ? new Hints(context.listenerName(), new TreeMap<>()) : null;
        Closest closest = replicaId < 0 && context.apiVersion() >= 11 ? new Closest(context, data.rackId()) : null;
        int remaining = data.maxBytes() > 0 ? data.maxBytes() : Integer.MAX_VALUE;
        boolean minOneBatch = true;
        long bytes = 0;
        boolean error = false;
        FetchResponseData.FetchableTopicResponse topicResponse = null;
        FetchRequestData.FetchTopic currentTopic = null;
        for (Target target : targets) {
            if (target.topic() != currentTopic) {
                currentTopic = target.topic();
                topicResponse = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(target.topic().topic())
                        .setTopicId(target.topic().topicId());
                response.responses().add(topicResponse);
            }
            PartitionData partition = readPartition(
                    target, readCommitted, replicaId, Math.max(0, remaining), minOneBatch, hints, closest);
            int size = partition.records() == null ? 0 : partition.records().sizeInBytes();
            if (size > 0) {
                minOneBatch = false;
                remaining -= size;
                bytes += size;
            }
            // A preferred read replica answers at once too (no long poll at a leader the consumer should leave).
            error |= partition.errorCode() != Errors.NONE.code()
                    || partition.divergingEpoch().epoch() >= 0
                    || partition.preferredReadReplica() >= 0;
            topicResponse.partitions().add(partition);
        }
        if (hints != null) {
            hints.found().values().forEach(h -> response.nodeEndpoints()
                    .add(new FetchResponseData.NodeEndpoint()
                            .setNodeId(h.leaderId())
                            .setHost(h.endpoint().host())
                            .setPort(h.endpoint().port())
                            .setRack(h.rack())));
        }
        return new Result(response, bytes, error);
    }

    private PartitionData readPartition(
            Target target,
            boolean readCommitted,
            int replicaId,
            int remainingBytes,
            boolean minOne,
            Hints hints,
            Closest closest) {
        FetchRequestData.FetchPartition request = target.partition();
        PartitionData result = new PartitionData()
                .setPartitionIndex(request.partition())
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setPreferredReadReplica(-1)
                .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
                .setRecords(MemoryRecords.EMPTY);
        if (target.name() == null) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
        }
        if (!target.authorized()) {
            return result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        try {
            TopicPartition tp = new TopicPartition(target.name(), request.partition());
            Partition partition = closest != null ? replicas.hostedPartition(tp) : replicas.leaderPartition(tp);
            partition.validateLeaderEpoch(request.currentLeaderEpoch());
            int maxBytes = Math.min(Math.max(0, request.partitionMaxBytes()), remainingBytes);
            if (replicaId >= 0) {
                return readForFollower(partition, request, replicaId, maxBytes, minOne, result);
            }
            if (closest != null && elsewhere(partition, request, closest, result)) {
                return result;
            }
            long maxOffset = partition.maxReadableOffset(readCommitted);
            FetchDataInfo info = partition.log().read(request.fetchOffset(), maxBytes, maxOffset, minOne);
            if (readCommitted && info.records().sizeInBytes() > 0) {
                // The consumer drops the batches of these producers from each first offset up to its ABORT marker.
                for (AbortedTxn txn : partition.log().abortedTransactions(request.fetchOffset(), maxOffset)) {
                    result.abortedTransactions()
                            .add(new FetchResponseData.AbortedTransaction()
                                    .setProducerId(txn.producerId())
                                    .setFirstOffset(txn.firstOffset()));
                }
            }
            return result.setHighWatermark(info.highWatermark())
                    .setLastStableOffset(partition.maxReadableOffset(true))
                    .setLogStartOffset(info.logStartOffset())
                    .setRecords(info.records());
        } catch (ApiException e) {
            if (e instanceof NotLeaderOrFollowerException && hints != null) {
                replicas.leaderHint(new TopicPartition(target.name(), request.partition()), hints.listenerName())
                        .ifPresent(h -> {
                            result.setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch()
                                    .setLeaderId(h.leaderId())
                                    .setLeaderEpoch(h.leaderEpoch()));
                            hints.found().put(h.leaderId(), h);
                        });
            }
            if (e instanceof org.apache.kafka.common.errors.OffsetOutOfRangeException) {
                replicas.leaderLog(target.name(), request.partition())
                        .ifPresent(log ->
                                result.setHighWatermark(log.highWatermark()).setLogStartOffset(log.logStartOffset()));
            }
            return result.setErrorCode(Errors.forException(e).code());
        } catch (RuntimeException e) {
            LOG.warn("Fetch of {}-{} failed: {}", target.name(), request.partition(), e.toString());
            return result.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());
        }
    }

    /**
     * KIP-392 for a consumer's Fetch v11+: at the leader, a preferred read replica other than itself (answered without
     * records); at a follower, an offset it does not hold yet from a consumer that sent no leader epoch (stale
     * metadata) is answered empty, as Kafka does, while one with an epoch gets OFFSET_OUT_OF_RANGE from the read and
     * goes back to the leader. Fills {@code result} and answers true when the log is not to be read.
     */
    private boolean elsewhere(
            Partition partition, FetchRequestData.FetchPartition request, Closest closest, PartitionData result) {
        PartitionLog log = partition.log();
        LeaderState leader = partition.leader();
        int preferred = -1;
        if (leader != null && readReplicas.enabled()) {
            preferred = readReplicas.preferred(
                    replicas.image(),
                    replicas.nodeId(),
                    partition.topicPartition(),
                    leader,
                    request.fetchOffset(),
                    log.logStartOffset(),
                    log.logEndOffset(),
                    closest.context(),
                    closest.rackId());
        }
        boolean staleFollowerRead = leader == null
                && request.currentLeaderEpoch() < 0
                && (request.fetchOffset() > log.logEndOffset() || request.fetchOffset() < log.logStartOffset());
        if (preferred < 0 && !staleFollowerRead) {
            return false;
        }
        result.setPreferredReadReplica(preferred)
                .setHighWatermark(log.highWatermark())
                .setLastStableOffset(partition.maxReadableOffset(true))
                .setLogStartOffset(log.logStartOffset());
        return true;
    }

    /**
     * A follower's fetch: first the diverging-epoch check (KIP-595's field, answered without records when the
     * follower's last epoch ends earlier in this log), then its progress is recorded (which may move the high
     * watermark) and it reads up to the log end, not the high watermark.
     */
    private PartitionData readForFollower(
            Partition partition,
            FetchRequestData.FetchPartition request,
            int replicaId,
            int maxBytesAllowed,
            boolean minOne,
            PartitionData result) {
        int maxBytes = maxBytesAllowed;
        PartitionLog log = partition.log();
        long endOffset = log.logEndOffset();
        if (request.lastFetchedEpoch() >= 0) {
            EpochEnd diverged = Divergence.atLeader(
                    request.lastFetchedEpoch(),
                    request.fetchOffset(),
                    ReplicaFetcher.epochEnd(log.endOffsetForEpoch(request.lastFetchedEpoch())));
            if (diverged != null) {
                return result.setDivergingEpoch(new FetchResponseData.EpochEndOffset()
                                .setEpoch(diverged.epoch())
                                .setEndOffset(diverged.endOffset()))
                        .setHighWatermark(log.highWatermark())
                        .setLastStableOffset(partition.maxReadableOffset(true))
                        .setLogStartOffset(log.logStartOffset());
            }
        }
        if (request.fetchOffset() <= endOffset) {
            replicas.followerFetched(partition, replicaId, request.fetchOffset(), endOffset);
        }
        ReplicationQuota quota = replicas.throttles().leader();
        LeaderState leader = partition.leader();
        if (leader != null && !leader.isr().contains(replicaId) && quota.isThrottled(partition.topicPartition())) {
            // leader.replication.throttled.rate: an out-of-sync throttled follower gets nothing while it is used up.
            if (quota.isExceeded(System.currentTimeMillis())) {
                return result.setHighWatermark(log.highWatermark())
                        .setLastStableOffset(partition.maxReadableOffset(true))
                        .setLogStartOffset(log.logStartOffset());
            }
            maxBytes = quota.bound(maxBytes);
        }
        FetchDataInfo info = log.read(request.fetchOffset(), maxBytes, endOffset, minOne);
        return result.setHighWatermark(log.highWatermark())
                .setLastStableOffset(partition.maxReadableOffset(true))
                .setLogStartOffset(info.logStartOffset())
                .setRecords(info.records());
    }
}
