package io.herald.controller;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.MetadataRecordCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller role: a voter of the metadata quorum (an Apache Ratis peer; a single node is a quorum of one) and, when
 * it leads the quorum, the active controller that decides cluster changes. Decisions run one at a time on the
 * controller thread against the committed image; each one's records are committed before the next decision starts, so
 * decisions never see half-applied state and need no locks.
 */
public final class QuorumController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumController.class);
    private static final int NO_LEADER = -1;

    private final ControllerSettings settings;
    private final MetadataLog metadataLog = new MetadataLog();
    private final MetadataStateMachine stateMachine;
    private final ExecutorService controllerThread;
    private final ScheduledExecutorService timer;
    private final BrokerHeartbeats heartbeats;
    /** Combined nodes whose Raft peer went silent (logged once until it answers again); controller thread only. */
    private final Set<Integer> suspects = new HashSet<>();

    private RaftServer server;
    private RaftClient client;
    private RaftGroup group;
    private volatile int leaderId = NO_LEADER;
    /** Whether this controller, since it last became active, moved what fenced brokers still led (once per term). */
    private volatile boolean sweptFencedLeaders;

    public QuorumController(ControllerSettings settings) {
        this.settings = settings;
        this.stateMachine = new MetadataStateMachine(metadataLog, this::onLeaderChange);
        this.controllerThread = Executors.newSingleThreadExecutor(r -> daemon(r, "herald-controller"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "herald-controller-timer"));
        this.heartbeats = new BrokerHeartbeats(settings.brokerSessionTimeoutMs());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Starts the quorum peer; returns without waiting for an election. */
    public void start() throws IOException {
        Files.createDirectories(settings.metadataLogDir());
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(properties, settings.self().host());
        NettyConfigKeys.Server.setPort(properties, settings.self().raftPort());
        RaftServerConfigKeys.setStorageDir(
                properties, List.of(settings.metadataLogDir().toFile()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, settings.snapshotIntervalEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        // The log replays on start; a snapshot while stopping only slows shutdown down.
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, false);
        boolean single = settings.voters().size() == 1;
        // A quorum of one has nobody to wait for: elect at once instead of after a randomized timeout.
        TimeDuration minElection = TimeDuration.valueOf(single ? 10 : 300, TimeUnit.MILLISECONDS);
        TimeDuration maxElection = TimeDuration.valueOf(single ? 20 : 600, TimeUnit.MILLISECONDS);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, minElection);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, maxElection);
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));

        List<RaftPeer> peers = new ArrayList<>();
        for (QuorumPeer voter : settings.voters()) {
            peers.add(RaftPeer.newBuilder()
                    .setId(peerId(voter.id()))
                    .setAddress(voter.host() + ":" + voter.raftPort())
                    .build());
        }
        group = RaftGroup.valueOf(groupId(settings.clusterId()), peers);
        server = RaftServer.newBuilder()
                .setServerId(peerId(settings.nodeId()))
                .setGroup(group)
                .setProperties(properties)
                .setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        client = RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .build();
        timer.scheduleWithFixedDelay(this::checkSessions, 1, 1, TimeUnit.SECONDS);
        if (settings.leadership().autoRebalance()) {
            long interval = settings.leadership().imbalanceCheckIntervalMs();
            timer.scheduleWithFixedDelay(this::checkLeaderImbalance, interval, interval, TimeUnit.MILLISECONDS);
        }
        LOG.info(
                "Controller {} started a quorum of {} voter(s) with metadata in {}",
                settings.nodeId(),
                settings.voters().size(),
                settings.metadataLogDir());
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf("node-" + nodeId);
    }

    static RaftGroupId groupId(String clusterId) {
        Uuid id = Uuid.fromString(clusterId);
        return RaftGroupId.valueOf(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));
    }

    private void onLeaderChange(RaftPeerId newLeader) {
        int id = NO_LEADER;
        if (newLeader != null) {
            String text = newLeader.toString();
            id = Integer.parseInt(text.substring(text.indexOf('-') + 1));
        }
        leaderId = id;
        if (id == settings.nodeId()) {
            LOG.info("Controller {} elected active controller", id);
            controllerThread.execute(heartbeats::resetAll);
            sweptFencedLeaders = false;
        } else if (id != NO_LEADER) {
            LOG.info("Controller {} follows active controller {}", settings.nodeId(), id);
        }
    }

    public ControllerSettings settings() {
        return settings;
    }

    public MetadataLog metadataLog() {
        return metadataLog;
    }

    public MetadataImage image() {
        return stateMachine.image();
    }

    /** The node id of the active controller, when one is known. */
    public OptionalInt activeControllerId() {
        int id = leaderId;
        return id == NO_LEADER ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Whether this node leads the quorum and has applied everything committed before its term. */
    public boolean isActive() {
        try {
            RaftServer.Division division = server.getDivision(group.getGroupId());
            return division.getInfo().isLeader() && division.getInfo().isLeaderReady();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs a decision on the controller thread against the latest committed image and commits its records; completes
     * with the decision's answer once they are applied. Fails with NOT_CONTROLLER on a node that is not active.
     */
    <T> CompletableFuture<T> write(String what, Function<MetadataImage, Decision<T>> decide) {
        CompletableFuture<T> result = new CompletableFuture<>();
        controllerThread.execute(() -> {
            try {
                if (!isActive()) {
                    throw new NotControllerException("node " + settings.nodeId() + " is not the active controller");
                }
                Decision<T> decision = decide.apply(image());
                if (!decision.records().isEmpty()) {
                    commit(what, decision.records());
                }
                result.complete(decision.response());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Runs an action on the controller thread without committing anything. */
    <T> CompletableFuture<T> read(Function<MetadataImage, T> action) {
        return CompletableFuture.supplyAsync(() -> action.apply(image()), controllerThread);
    }

    private void commit(String what, List<MetadataRecord> records) {
        byte[] batch = MetadataRecordCodec.encode(records);
        RaftClientReply reply;
        try {
            reply = client.async()
                    .send(Message.valueOf(ByteString.copyFrom(ByteBuffer.wrap(batch))))
                    .get(settings.writeTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.TimeoutException("interrupted while committing " + what);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException(
                    "the metadata quorum did not commit " + what + " within " + settings.writeTimeoutMs() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NotControllerException("the metadata quorum refused " + what + ": " + e.getCause());
        }
        if (!reply.isSuccess()) {
            throw new NotControllerException("the metadata quorum refused " + what + ": " + reply.getException());
        }
    }

    /** The quorum as DescribeQuorum reports it: leader, its term, and how far each voter has committed. */
    record QuorumState(int leaderId, long term, Map<Integer, Long> voterCommitted) {}

    QuorumState quorumState() {
        try {
            RaftServer.Division division = server.getDivision(group.getGroupId());
            Map<Integer, Long> committed = new java.util.TreeMap<>();
            for (var info : division.getCommitInfos()) {
                String id = info.getServer().getId().toStringUtf8();
                committed.put(Integer.parseInt(id.substring(id.indexOf('-') + 1)), info.getCommitIndex());
            }
            return new QuorumState(leaderId, division.getInfo().getCurrentTerm(), committed);
        } catch (IOException | RuntimeException e) {
            return new QuorumState(leaderId, -1, Map.of());
        }
    }

    BrokerHeartbeats heartbeats() {
        return heartbeats;
    }

    /**
     * A broker's heartbeat connection to this controller closed. A process killed with -9 (or a host gone) never
     * heartbeats again; instead of waiting out {@code broker.session.timeout.ms} the broker is fenced once
     * {@link ControllerSettings#connectionLossGraceMs()} passes without a heartbeat, so its leaderships move in seconds.
     * A live broker reconnects on its next heartbeat, well inside the grace, and keeps its session.
     */
    void brokerConnectionLost(int brokerId) {
        long graceMs = settings.connectionLossGraceMs();
        try {
            controllerThread.execute(() -> {
                if (!isActive()
                        || !heartbeats.shorten(brokerId, System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(graceMs))) {
                    return;
                }
                LOG.info(
                        "Broker {} closed its connection to the controller: fenced unless it heartbeats within {} ms",
                        brokerId,
                        graceMs);
                if (!timer.isShutdown()) {
                    timer.schedule(this::checkSessions, graceMs + 1, TimeUnit.MILLISECONDS);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // This controller is shutting down: its sessions no longer matter.
        }
    }

    private void checkSessions() {
        if (!isActive()) {
            return;
        }
        if (!sweptFencedLeaders) {
            sweptFencedLeaders = true;
            write(
                    "leadership of fenced brokers",
                    image -> ControllerApis.logged(
                            image,
                            "Fenced broker's leadership",
                            LeadershipDecisions.sweepFencedLeaders(
                                    image, heartbeats.inControlledShutdown(), uncleanDefault())));
        }
        write("fencing of expired brokers", image -> {
                    suspectSilentVoters(image);
                    return BrokerDecisions.fenceExpired(image, heartbeats, System.nanoTime(), uncleanDefault());
                })
                .whenComplete((fenced, error) -> {
                    if (error == null) {
                        for (Integer id : fenced) {
                            LOG.info(
                                    "Fenced broker {}: no heartbeat within its session; its leaderships"
                                            + " and ISR memberships moved",
                                    id);
                        }
                    }
                });
    }

    /**
     * On the controller thread: a combined node whose Raft peer has not answered this leader for the connection-loss
     * grace is most likely dead (this catches the node that was the active controller: its brokers' heartbeat
     * connections went to itself, so no other controller saw them close). Its broker session is shortened to the
     * grace as if its connection had closed; a live broker heartbeating meanwhile keeps it.
     */
    private void suspectSilentVoters(MetadataImage image) {
        long graceMs = settings.connectionLossGraceMs();
        Set<Integer> silent = new HashSet<>();
        try {
            var role = server.getDivision(group.getGroupId()).getInfo().getRoleInfoProto();
            if (role.hasLeaderInfo()) {
                for (var follower : role.getLeaderInfo().getFollowerInfoList()) {
                    String peer = follower.getId().getId().toStringUtf8();
                    int id = Integer.parseInt(peer.substring(peer.indexOf('-') + 1));
                    boolean liveBroker = image.broker(id).map(b -> !b.fenced()).orElse(false);
                    if (follower.getLastRpcElapsedTimeMs() > graceMs && liveBroker) {
                        silent.add(id);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // no view of the followers: sessions run their normal course
        }
        long now = System.nanoTime();
        for (int id : silent) {
            if (heartbeats.shorten(id, now, TimeUnit.MILLISECONDS.toNanos(graceMs)) && suspects.add(id)) {
                LOG.info(
                        "Node {} stopped answering the metadata quorum: its broker is fenced unless it heartbeats"
                                + " within {} ms",
                        id,
                        graceMs);
                timer.schedule(this::checkSessions, graceMs + 1, TimeUnit.MILLISECONDS);
            }
        }
        suspects.retainAll(silent);
    }

    /** The static default of unclean.leader.election.enable, for topics and clusters that do not set it. */
    boolean uncleanDefault() {
        return settings.leadership().uncleanDefault();
    }

    /** The automatic preferred-leader rebalance, every leader.imbalance.check.interval.seconds. */
    private void checkLeaderImbalance() {
        if (!isActive()) {
            return;
        }
        write(
                        "preferred leader rebalance",
                        image -> ControllerApis.logged(
                                image,
                                "Preferred leader rebalance",
                                LeadershipDecisions.rebalance(
                                        image,
                                        heartbeats.inControlledShutdown(),
                                        settings.leadership().imbalancePercentage())))
                .whenComplete((moved, error) -> {
                    if (error != null) {
                        LOG.debug("Preferred leader rebalance failed: {}", error.toString());
                    }
                });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        controllerThread.shutdown();
        try {
            controllerThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            LOG.warn("Error while stopping the metadata quorum: {}", e.toString());
        }
    }
}
