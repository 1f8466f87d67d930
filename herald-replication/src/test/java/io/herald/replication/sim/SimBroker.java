package io.herald.replication.sim;

import io.herald.metadata.PartitionRegistration;
import io.herald.replication.Divergence;
import io.herald.replication.EpochEnd;
import io.herald.replication.IsrChange;
import io.herald.replication.LeaderState;
import io.herald.replication.OffsetWaiters;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * One broker hosting a replica of the partition, driving the production state machines as the broker does: as leader
 * a {@link LeaderState} fed by follower fetches and appends, {@link OffsetWaiters} for acks=all, ISR proposals sent to
 * the controller with AlterPartition; as follower one fetch at a time with {@code (fetchOffset, lastFetchedEpoch)},
 * truncating with {@link Divergence} when the leader answers a diverging epoch. Its log survives a crash; everything
 * else (role, views, waiters) is lost and rebuilt from the controller after the restart.
 */
final class SimBroker implements SimWorld.Node {
    /** An acks=all produce waiting for the high watermark. */
    private record Waiting(int client, long requestId, long baseOffset, List<Long> values, int leaderEpoch) {}

    final int id;
    final SimLog log = new SimLog();
    private final SimWorld world;
    private final SimConfig config;
    private final Checker checker;
    private boolean alive = true;
    private int incarnation;
    private PartitionRegistration view;
    private LeaderState leader;
    private OffsetWaiters<Waiting> waiters;
    private IsrChange inFlight;
    private long alterRequestId;
    private long fetchSeq;
    private long fetchInFlight = -1;

    SimBroker(int id, SimWorld world, SimConfig config, Checker checker) {
        this.id = id;
        this.world = world;
        this.config = config;
        this.checker = checker;
    }

    @Override
    public boolean alive() {
        return alive;
    }

    /** The leadership this broker believes it holds, or null. */
    LeaderState leaderState() {
        return alive ? leader : null;
    }

    PartitionRegistration view() {
        return view;
    }

    void start() {
        int current = incarnation;
        heartbeat(current);
        timer(current, config.leaderTickMs(), "tick", () -> leaderTick(current));
    }

    void crash() {
        alive = false;
        view = null;
        leader = null;
        waiters = null; // clients time out
        inFlight = null;
        fetchInFlight = -1;
    }

    void restart() {
        alive = true;
        incarnation++;
        start();
    }

    private void timer(int forIncarnation, long delayMs, String what, Runnable action) {
        world.schedule(delayMs, SimWorld.name(id) + " " + what, () -> {
            if (alive && incarnation == forIncarnation) {
                action.run();
            }
        });
    }

    private void heartbeat(int current) {
        world.send(id, SimController.ID, new Message.Heartbeat(id, incarnation));
        timer(current, config.heartbeatMs(), "heartbeat", () -> heartbeat(current));
    }

    private void leaderTick(int current) {
        if (leader != null) {
            propose(leader.maybeShrink(world.nowMs(), config.replicaLagTimeMaxMs()));
        }
        timer(current, config.leaderTickMs(), "tick", () -> leaderTick(current));
    }

    @Override
    public void receive(int from, Message message) {
        switch (message) {
            case Message.PartitionState state -> applyPartition(state.partition());
            case Message.Fetch fetch -> onFetch(fetch);
            case Message.FetchResponse response -> onFetchResponse(from, response);
            case Message.Produce produce -> onProduce(from, produce);
            case Message.AlterPartitionResponse response -> onAlterPartitionResponse(response);
            default -> throw new IllegalStateException(SimWorld.name(id) + " got " + message);
        }
    }

    // ---- metadata and roles

    private void applyPartition(PartitionRegistration partition) {
        if (view != null && partition.partitionEpoch() <= view.partitionEpoch()) {
            return;
        }
        PartitionRegistration previous = view;
        view = partition;
        if (partition.leader() == id) {
            if (leader == null || leader.leaderEpoch() != partition.leaderEpoch()) {
                becomeLeader(partition);
            } else {
                apply(leader.isrCommitted(partition.isr(), partition.partitionEpoch(), log.logEndOffset()));
                if (!leader.hasPendingIsrChange()) {
                    inFlight = null;
                }
            }
            return;
        }
        if (leader != null) {
            resign();
        }
        if (previous == null
                || previous.leader() != partition.leader()
                || previous.leaderEpoch() != partition.leaderEpoch()) {
            fetchInFlight = -1;
            if (config.isBroken(SimConfig.Broken.FOLLOWER_TRUNCATES_TO_HIGH_WATERMARK)) {
                checker.truncating(this, log.highWatermark());
                log.truncateTo(log.highWatermark());
            }
            sendFetch();
        }
    }

    private void becomeLeader(PartitionRegistration partition) {
        if (leader != null) {
            resign();
        }
        fetchInFlight = -1;
        if (log.latestEpoch() > partition.leaderEpoch()) {
            throw new IllegalStateException(SimWorld.name(id) + " leads epoch " + partition.leaderEpoch()
                    + " with a later epoch in its log: " + log);
        }
        // As Kafka's makeLeader: the new epoch starts at the log end, before anything is appended in it.
        if (!config.isBroken(SimConfig.Broken.NO_EPOCH_START_AT_TAKEOVER)) {
            log.assignEpoch(partition.leaderEpoch(), log.logEndOffset());
        }
        leader = new LeaderState(
                id,
                partition.leaderEpoch(),
                partition.partitionEpoch(),
                partition.replicas(),
                partition.isr(),
                log.logEndOffset(),
                log.highWatermark(),
                world.nowMs());
        if (config.eligibleLeaderReplicas() && !config.isBroken(SimConfig.Broken.HIGH_WATERMARK_IGNORES_MIN_ISR)) {
            leader.holdHighWatermarkBelowMinIsr(config.minInsyncReplicas());
        }
        waiters = new OffsetWaiters<>();
        inFlight = null;
        world.note(SimWorld.name(id) + " becomes leader: " + leader + " " + log);
        checker.becameLeader(this, partition.leaderEpoch());
        apply(leader.leaderAppended(log.logEndOffset()));
    }

    private void resign() {
        for (Waiting waiting : waiters.drain()) {
            world.send(
                    id,
                    waiting.client(),
                    new Message.ProduceResponse(
                            waiting.requestId(), Errors.NOT_LEADER_OR_FOLLOWER, waiting.baseOffset()));
        }
        world.note(SimWorld.name(id) + " resigns " + leader);
        leader = null;
        waiters = null;
        inFlight = null;
    }

    /** Applies what the leader state answered: the new high watermark, completed produces, a proposal. */
    private void apply(LeaderState.Update update) {
        if (update.highWatermarkMoved()) {
            log.raiseHighWatermark(update.highWatermark());
        }
        release();
        propose(update.proposal());
    }

    private void release() {
        for (Waiting waiting : waiters.release(log.highWatermark())) {
            Errors error = leader.isr().size() < config.minInsyncReplicas()
                    ? Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND
                    : Errors.NONE;
            if (error == Errors.NONE) {
                checker.acknowledged(this, waiting.baseOffset(), waiting.values(), waiting.leaderEpoch());
            }
            world.send(
                    id,
                    waiting.client(),
                    new Message.ProduceResponse(waiting.requestId(), error, waiting.baseOffset()));
        }
    }

    // ---- leader side

    private void onProduce(int client, Message.Produce produce) {
        if (leader == null) {
            world.send(id, client, new Message.ProduceResponse(produce.requestId(), Errors.NOT_LEADER_OR_FOLLOWER, -1));
            return;
        }
        if (leader.isr().size() < config.minInsyncReplicas()) {
            world.send(id, client, new Message.ProduceResponse(produce.requestId(), Errors.NOT_ENOUGH_REPLICAS, -1));
            return;
        }
        long base = log.appendAsLeader(leader.leaderEpoch(), produce.values());
        long required = log.logEndOffset();
        Waiting waiting = new Waiting(client, produce.requestId(), base, produce.values(), leader.leaderEpoch());
        if (!waiters.add(required, waiting, config.maxWaitingProduces())) {
            world.send(id, client, new Message.ProduceResponse(produce.requestId(), Errors.REQUEST_TIMED_OUT, base));
            return;
        }
        OffsetWaiters<Waiting> mine = waiters;
        timer(incarnation, config.produceTimeoutMs(), "produce timeout", () -> {
            if (waiters == mine && mine.remove(required, waiting)) {
                world.send(
                        id, client, new Message.ProduceResponse(produce.requestId(), Errors.REQUEST_TIMED_OUT, base));
            }
        });
        if (config.isBroken(SimConfig.Broken.HIGH_WATERMARK_ON_LEADER_ALONE)) {
            log.raiseHighWatermark(log.logEndOffset());
            release();
            return;
        }
        apply(leader.leaderAppended(log.logEndOffset()));
    }

    private void onFetch(Message.Fetch fetch) {
        Errors error = Errors.NONE;
        if (leader == null || !leader.isReplica(fetch.replicaId())) {
            error = Errors.NOT_LEADER_OR_FOLLOWER;
        } else if (fetch.currentLeaderEpoch() < leader.leaderEpoch()) {
            error = Errors.FENCED_LEADER_EPOCH;
        } else if (fetch.currentLeaderEpoch() > leader.leaderEpoch()) {
            error = Errors.UNKNOWN_LEADER_EPOCH;
        }
        if (error != Errors.NONE) {
            reply(fetch, error, null, List.of());
            return;
        }
        EpochEnd diverging = Divergence.atLeader(
                fetch.lastFetchedEpoch(), fetch.fetchOffset(), log.endOffsetForEpoch(fetch.lastFetchedEpoch()));
        if (config.isBroken(SimConfig.Broken.LEADER_SKIPS_DIVERGENCE_CHECK)) {
            diverging = null;
        }
        if (diverging != null) {
            // As Kafka: a diverging fetch says nothing about the follower's progress.
            if (config.isBroken(SimConfig.Broken.DIVERGING_FETCH_COUNTS_AS_PROGRESS)) {
                apply(leader.followerFetched(
                        fetch.replicaId(), fetch.fetchOffset(), log.logEndOffset(), world.nowMs()));
            }
            reply(fetch, Errors.NONE, diverging, List.of());
            return;
        }
        if (fetch.fetchOffset() > log.logEndOffset()) {
            checker.fetchBeyondLogEnd(this, fetch);
            reply(fetch, Errors.OFFSET_OUT_OF_RANGE, null, List.of());
            return;
        }
        apply(leader.followerFetched(fetch.replicaId(), fetch.fetchOffset(), log.logEndOffset(), world.nowMs()));
        reply(fetch, Errors.NONE, null, log.read(fetch.fetchOffset(), config.maxBatchesPerFetch()));
    }

    private void reply(Message.Fetch fetch, Errors error, EpochEnd diverging, List<SimLog.Batch> batches) {
        world.send(
                id,
                fetch.replicaId(),
                new Message.FetchResponse(fetch.fetchId(), error, diverging, batches, log.highWatermark()));
    }

    private void propose(IsrChange proposal) {
        if (proposal == null) {
            return;
        }
        inFlight = proposal;
        sendAlterPartition(proposal);
    }

    private void sendAlterPartition(IsrChange proposal) {
        world.send(id, SimController.ID, new Message.AlterPartition(id, ++alterRequestId, proposal));
        timer(incarnation, config.alterPartitionRetryMs(), "AlterPartition retry", () -> {
            if (leader == null || inFlight != proposal) {
                return;
            }
            if (config.isBroken(SimConfig.Broken.PROPOSAL_FAILED_WHEN_UNSURE)) {
                leader.proposalFailed(proposal);
                inFlight = null;
                return;
            }
            // No answer: it may or may not have been applied, so the proposal stays pending and is sent again.
            sendAlterPartition(proposal);
        });
    }

    private void onAlterPartitionResponse(Message.AlterPartitionResponse response) {
        if (leader == null || inFlight == null || response.requestId() != alterRequestId) {
            applyPartition(response.partition()); // an answer to an earlier request: only its metadata counts
            return;
        }
        IsrChange proposal = inFlight;
        switch (response.error()) {
            case NONE -> inFlight = null;
            case INELIGIBLE_REPLICA, INVALID_REQUEST -> {
                // Refused without being applied: the leader may propose again.
                leader.proposalFailed(proposal);
                inFlight = null;
            }
            default -> {
                // INVALID_UPDATE_VERSION, FENCED_LEADER_EPOCH: our view is stale and an earlier copy of this very
                // proposal may have been applied; stay pending until the metadata shows a newer partition epoch.
                if (config.isBroken(SimConfig.Broken.PROPOSAL_FAILED_WHEN_UNSURE)) {
                    leader.proposalFailed(proposal);
                }
                inFlight = null;
            }
        }
        applyPartition(response.partition());
    }

    // ---- follower side

    private void sendFetch() {
        if (view == null
                || view.leader() == PartitionRegistration.NO_LEADER
                || view.leader() == id
                || !view.replicas().contains(id)) {
            return;
        }
        long fetchId = ++fetchSeq;
        fetchInFlight = fetchId;
        world.send(
                id,
                view.leader(),
                new Message.Fetch(id, fetchId, view.leaderEpoch(), log.logEndOffset(), log.latestEpoch()));
        timer(incarnation, config.fetchTimeoutMs(), "fetch timeout", () -> {
            if (fetchInFlight == fetchId) {
                fetchInFlight = -1;
                sendFetch();
            }
        });
    }

    private void fetchLater(long delayMs) {
        timer(incarnation, delayMs, "fetch", () -> {
            if (fetchInFlight == -1) {
                sendFetch();
            }
        });
    }

    private void onFetchResponse(int from, Message.FetchResponse response) {
        if (response.fetchId() != fetchInFlight) {
            return; // late, duplicated, or for a fetch this broker has given up on
        }
        fetchInFlight = -1;
        if (view == null || view.leader() != from || leader != null) {
            return;
        }
        if (response.error() != Errors.NONE) {
            fetchLater(config.fetchIdleMs());
            return;
        }
        if (response.divergingEpoch() != null) {
            long cut = Divergence.truncationOffset(
                    response.divergingEpoch(), log::endOffsetForEpoch, 0, log.logEndOffset());
            checker.truncating(this, cut);
            world.note(SimWorld.name(id) + " truncates to " + cut + " after " + response.divergingEpoch() + " " + log);
            log.truncateTo(cut);
            sendFetch();
            return;
        }
        for (SimLog.Batch batch : response.batches()) {
            log.appendFetched(batch);
        }
        log.raiseHighWatermark(response.hw());
        if (response.batches().isEmpty()) {
            fetchLater(config.fetchIdleMs());
        } else {
            sendFetch();
        }
    }

    @Override
    public String toString() {
        return SimWorld.name(id) + (alive ? "" : " (down)") + " " + log
                + (leader != null ? " " + leader : " follower of " + (view == null ? "?" : view.leader()));
    }
}
