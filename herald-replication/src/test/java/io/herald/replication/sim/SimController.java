package io.herald.replication.sim;

import io.herald.metadata.PartitionChanges;
import io.herald.metadata.PartitionRegistration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.Errors;

/**
 * The controller quorum as one node that never crashes (it can be cut off from brokers): broker registrations and
 * heartbeats, fencing after the session timeout, and the partition's leader and ISR decided by
 * {@link io.herald.metadata.PartitionChanges} (the controller's own rules). Every change is pushed to all brokers and every heartbeat is answered with the partition as
 * it stands, so a broker that missed a push learns it on its next heartbeat (as brokers follow the metadata log).
 */
final class SimController implements SimWorld.Node {
    static final int ID = 1000;

    private static final class BrokerInfo {
        int incarnation;
        long lastHeartbeatMs;
        boolean fenced;
    }

    private final SimWorld world;
    private final SimConfig config;
    private final Checker checker;
    private final TreeMap<Integer, BrokerInfo> brokers = new TreeMap<>();
    private PartitionRegistration partition;

    SimController(SimWorld world, SimConfig config, Checker checker, PartitionRegistration initial) {
        this.world = world;
        this.config = config;
        this.checker = checker;
        this.partition = initial;
        for (int replica : initial.replicas()) {
            brokers.put(replica, new BrokerInfo());
        }
    }

    PartitionRegistration partition() {
        return partition;
    }

    boolean fenced(int broker) {
        return brokers.get(broker).fenced;
    }

    @Override
    public boolean alive() {
        return true;
    }

    void start() {
        world.schedule(config.controllerTickMs(), "controller tick", this::tick);
    }

    private void tick() {
        for (var entry : brokers.entrySet()) {
            BrokerInfo info = entry.getValue();
            if (!info.fenced && world.nowMs() - info.lastHeartbeatMs > config.sessionTimeoutMs()) {
                fence(entry.getKey(), "session expired");
            }
        }
        world.schedule(config.controllerTickMs(), "controller tick", this::tick);
    }

    @Override
    public void receive(int from, Message message) {
        switch (message) {
            case Message.Heartbeat heartbeat -> onHeartbeat(heartbeat);
            case Message.AlterPartition alter -> onAlterPartition(alter);
            case Message.MetadataRequest request -> world.send(ID, from, new Message.PartitionState(partition));
            default -> throw new IllegalStateException("controller got " + message);
        }
    }

    private void onHeartbeat(Message.Heartbeat heartbeat) {
        BrokerInfo info = brokers.get(heartbeat.brokerId());
        if (heartbeat.incarnation() < info.incarnation) {
            return; // from before a restart
        }
        info.lastHeartbeatMs = world.nowMs();
        if (heartbeat.incarnation() > info.incarnation) {
            // A new registration starts fenced; the next heartbeat unfences it.
            info.incarnation = heartbeat.incarnation();
            fence(heartbeat.brokerId(), "re-registered");
        } else if (info.fenced) {
            info.fenced = false;
            world.note("controller: unfence " + SimWorld.name(heartbeat.brokerId()));
            PartitionChanges.electIfLeaderless(partition, this::acceptable, false, config.elr())
                    .ifPresent(next -> apply(next, "elect on unfence of " + heartbeat.brokerId()));
        }
        world.send(ID, heartbeat.brokerId(), new Message.PartitionState(partition));
    }

    private void fence(int broker, String why) {
        brokers.get(broker).fenced = true;
        world.note("controller: fence " + SimWorld.name(broker) + " (" + why + ")");
        PartitionChanges.removeFromIsr(partition, Set.of(broker), this::acceptable, false, config.elr())
                .ifPresent(next -> apply(next, "fence " + broker));
    }

    private void onAlterPartition(Message.AlterPartition alter) {
        List<Integer> isr = alter.proposal().isr();
        Errors error = PartitionChanges.validateAlterPartition(
                partition,
                alter.leaderId(),
                alter.proposal().leaderEpoch(),
                alter.proposal().partitionEpoch(),
                isr.stream().map(id -> new PartitionChanges.IsrMember(id, -1)).toList(),
                new PartitionChanges.BrokerStates() {
                    @Override
                    public long epoch(int brokerId) {
                        return brokers.containsKey(brokerId) ? 0 : -1;
                    }

                    @Override
                    public boolean acceptable(int brokerId) {
                        return SimController.this.acceptable(brokerId);
                    }
                });
        if (error == Errors.NONE) {
            Optional<PartitionRegistration> next =
                    PartitionChanges.changeIsr(partition, isr, this::acceptable, config.elr());
            next.ifPresent(p -> apply(p, "AlterPartition " + isr));
        }
        world.send(ID, alter.leaderId(), new Message.AlterPartitionResponse(alter.requestId(), error, partition));
    }

    private boolean acceptable(int broker) {
        BrokerInfo info = brokers.get(broker);
        return info != null && !info.fenced;
    }

    private void apply(PartitionRegistration next, String why) {
        checker.controllerChanged(partition, next, why);
        partition = next;
        world.note("controller: " + why + " -> " + next);
        for (int broker : partition.replicas()) {
            world.send(ID, broker, new Message.PartitionState(partition));
        }
    }
}
