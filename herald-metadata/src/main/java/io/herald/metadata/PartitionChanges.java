package io.herald.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The rules for a partition's leader and in-sync replicas, as KRaft's controller applies them, with eligible leader
 * replicas (KIP-966) where the caller enables them ({@link Elr}): pure functions of a {@link PartitionRegistration} and of which brokers are acceptable, so the
 * controller and the replication simulation run the same code.
 *
 * <p>A broker is <em>acceptable</em> (may lead, may join an ISR) when it is registered, unfenced and not in controlled
 * shutdown; callers pass that as a predicate. A replica is a <em>valid leader</em> when it is in the target ISR and
 * acceptable. Epochs: a new leader (including none) bumps the leader epoch and the partition epoch; a change of the
 * ISR alone bumps only the partition epoch (Kafka stopped bumping the leader epoch on ISR shrink in 3.6). Every
 * function answers empty when nothing would change.
 *
 * <p>Eligible leader replicas (KIP-966, Kafka 4.x's {@code eligible.leader.replicas.version} 1): while the target ISR
 * is smaller than {@code min.insync.replicas}, the replicas that leave it (and the eligible ones already recorded) are
 * eligible leader replicas, since the leader's high watermark stops below min ISR ({@code LeaderState}) and they hold
 * everything committed; an ISR at or above min ISR clears them. The ISR may then become empty (its last member joins
 * the eligible ones and the partition has no leader), and a partition without a valid ISR leader elects the first
 * acceptable eligible replica in replica order, whose ISR is then that replica alone. Without ELR, the older rules:
 * the last ISR member stays in the ISR. Unclean shutdowns (which Kafka drops from the eligible set at the broker's
 * re-registration) are not tracked here.
 */
public final class PartitionChanges {
    private PartitionChanges() {}

    /** Whether eligible leader replicas are kept, and the partition's {@code min.insync.replicas}. */
    public record Elr(boolean enabled, int minIsr) {
        /** Eligible leader replicas off (the feature level 0): the rules before KIP-966. */
        public static final Elr OFF = new Elr(false, 1);
    }

    /** How a new leader may be chosen. */
    public enum Election {
        /** Keep a valid leader, else the first valid replica in replica order. */
        ONLINE,
        /** As ONLINE, then, if none is valid, any acceptable replica; the ISR becomes that replica alone. */
        UNCLEAN,
        /** The first replica when valid, else keep a valid leader, else the next valid replica. */
        PREFERRED
    }

    /**
     * The partition with {@code leaving} out of its ISR and a leader chosen among what remains: for a broker that is
     * fenced, unregistered or shutting down ({@code acceptable} must already refuse it). The ISR never becomes empty:
     * when its last members leave it keeps them and the partition has no leader (unless unclean election finds one).
     */
    public static Optional<PartitionRegistration> removeFromIsr(
            PartitionRegistration partition, Set<Integer> leaving, IntPredicate acceptable, boolean unclean) {
        return removeFromIsr(partition, leaving, acceptable, unclean, Elr.OFF);
    }

    /**
     * {@link #removeFromIsr(PartitionRegistration, Set, IntPredicate, boolean)} with eligible leader replicas as
     * {@code elr} says: when they are on, the ISR may become empty, its last members joining the eligible ones.
     */
    public static Optional<PartitionRegistration> removeFromIsr(
            PartitionRegistration partition, Set<Integer> leaving, IntPredicate acceptable, boolean unclean, Elr elr) {
        List<Integer> isr = new ArrayList<>(partition.isr());
        isr.removeAll(leaving);
        if (isr.isEmpty() && !elr.enabled()) {
            isr = partition.isr();
        }
        return build(partition, partition, isr, unclean ? Election.UNCLEAN : Election.ONLINE, acceptable, elr);
    }

    /** A leader for a partition that has none (e.g. once a broker of its ISR is unfenced); empty if none is valid. */
    public static Optional<PartitionRegistration> electIfLeaderless(
            PartitionRegistration partition, IntPredicate acceptable, boolean unclean) {
        return electIfLeaderless(partition, acceptable, unclean, Elr.OFF);
    }

    /** {@link #electIfLeaderless(PartitionRegistration, IntPredicate, boolean)}, from the eligible replicas too. */
    public static Optional<PartitionRegistration> electIfLeaderless(
            PartitionRegistration partition, IntPredicate acceptable, boolean unclean, Elr elr) {
        if (partition.leader() != PartitionRegistration.NO_LEADER) {
            return Optional.empty();
        }
        return build(
                partition, partition, partition.isr(), unclean ? Election.UNCLEAN : Election.ONLINE, acceptable, elr);
    }

    /** Whether the partition's leader is its preferred (first) replica. */
    public static boolean hasPreferredLeader(PartitionRegistration partition) {
        return !partition.replicas().isEmpty()
                && partition.leader() == partition.replicas().get(0);
    }

    /** Preferred-leader election: empty when the preferred replica is not a valid leader (or already leads). */
    public static Optional<PartitionRegistration> electPreferred(
            PartitionRegistration partition, IntPredicate acceptable) {
        return change(partition, partition.isr(), Election.PREFERRED, acceptable);
    }

    /** An ISR change the leader asked for (already validated): a leader that is no longer valid is replaced. */
    public static Optional<PartitionRegistration> changeIsr(
            PartitionRegistration partition, List<Integer> newIsr, IntPredicate acceptable) {
        return changeIsr(partition, newIsr, acceptable, Elr.OFF);
    }

    /** {@link #changeIsr(PartitionRegistration, List, IntPredicate)} keeping eligible leader replicas. */
    public static Optional<PartitionRegistration> changeIsr(
            PartitionRegistration partition, List<Integer> newIsr, IntPredicate acceptable, Elr elr) {
        return build(partition, partition, newIsr, Election.ONLINE, acceptable, elr);
    }

    /**
     * The general change: the target ISR and a leader chosen by {@code election}. A reassignment in progress completes
     * when the change allows it ({@link #completeIfDone}). Empty when nothing changes.
     */
    public static Optional<PartitionRegistration> change(
            PartitionRegistration partition, List<Integer> targetIsr, Election election, IntPredicate acceptable) {
        return build(partition, partition, targetIsr, election, acceptable, Elr.OFF);
    }

    /**
     * Builds the next registration from {@code shaped} (the partition with its new replica set and reassignment
     * state) and the target ISR, relative to {@code partition} for the epochs: the reassignment completes if it can,
     * then the leader is kept or elected (from the ISR, else from the eligible replicas when {@code elr} is on, else
     * unclean if allowed), and the eligible replicas follow the new ISR.
     */
    private static Optional<PartitionRegistration> build(
            PartitionRegistration partition,
            PartitionRegistration shaped,
            List<Integer> targetIsr,
            Election election,
            IntPredicate acceptable,
            Elr elr) {
        PartitionRegistration base = completeIfDone(shaped, targetIsr).orElse(shaped);
        List<Integer> isr = base == shaped ? List.copyOf(targetIsr) : base.isr();
        IntPredicate valid = r -> isr.contains(r) && base.replicas().contains(r) && acceptable.test(r);
        int leader = electLeader(base, election, valid);
        List<Integer> newIsr = isr;
        if (leader == PartitionRegistration.NO_LEADER && elr.enabled()) {
            for (int replica : base.replicas()) {
                if (partition.elr().contains(replica) && acceptable.test(replica)) {
                    leader = replica;
                    newIsr = List.of(replica);
                    break;
                }
            }
        }
        if (leader == PartitionRegistration.NO_LEADER && election == Election.UNCLEAN) {
            for (int replica : base.replicas()) {
                if (acceptable.test(replica)) {
                    leader = replica;
                    newIsr = List.of(replica);
                    break;
                }
            }
        }
        return next(
                partition,
                new PartitionRegistration(
                        base.replicas(),
                        newIsr,
                        leader,
                        partition.leaderEpoch(),
                        partition.partitionEpoch(),
                        base.addingReplicas(),
                        base.removingReplicas(),
                        eligible(partition, base.replicas(), newIsr, elr),
                        List.of()));
    }

    /**
     * The eligible leader replicas after a change to {@code newIsr}: none at or above min ISR; below it, the earlier
     * ISR and eligible replicas that are not in the new ISR, in replica order. With ELR off, what was recorded (none)
     * less the new ISR.
     */
    private static List<Integer> eligible(
            PartitionRegistration partition, List<Integer> replicas, List<Integer> newIsr, Elr elr) {
        if (elr.enabled() && newIsr.size() >= elr.minIsr()) {
            return List.of();
        }
        List<Integer> eligible = new ArrayList<>();
        for (int replica : replicas) {
            boolean before = partition.elr().contains(replica)
                    || (elr.enabled() && partition.isr().contains(replica));
            if (before && !newIsr.contains(replica)) {
                eligible.add(replica);
            }
        }
        return eligible;
    }

    /**
     * The reassignment's completion, if {@code targetIsr} allows it (KRaft's rule): without the removing replicas the
     * ISR is not empty and holds every adding replica. The completed partition has the target replicas (in target
     * order), that ISR, and nothing adding or removing; its leader and epochs are not yet decided. Empty when no
     * reassignment is in progress or it cannot complete yet.
     */
    public static Optional<PartitionRegistration> completeIfDone(
            PartitionRegistration partition, List<Integer> targetIsr) {
        if (!partition.isReassigning()) {
            return Optional.empty();
        }
        List<Integer> isr = new ArrayList<>(targetIsr);
        isr.removeAll(partition.removingReplicas());
        if (isr.isEmpty() || !isr.containsAll(partition.addingReplicas())) {
            return Optional.empty();
        }
        return Optional.of(new PartitionRegistration(
                partition.targetReplicas(),
                isr,
                partition.leader(),
                partition.leaderEpoch(),
                partition.partitionEpoch()));
    }

    /**
     * Starts (or replaces) a reassignment to {@code target}, as KRaft does: against the partition's full current
     * replica list, the adding replicas are the target's new ones and the removing ones the current replicas outside
     * the target; the replicas become the target followed by the removing ones. It completes at once when the ISR
     * already allows it (nothing to add); a leader that is removed then moves to the first target replica in the ISR.
     * Empty when nothing changes (the target is the current replica set and no reassignment is going on).
     */
    public static Optional<PartitionRegistration> reassign(
            PartitionRegistration partition, List<Integer> target, IntPredicate acceptable) {
        List<Integer> removing = new ArrayList<>(partition.replicas());
        removing.removeAll(target);
        List<Integer> adding = new ArrayList<>(target);
        adding.removeAll(partition.replicas());
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        PartitionRegistration shaped = new PartitionRegistration(
                replicas,
                partition.isr(),
                partition.leader(),
                partition.leaderEpoch(),
                partition.partitionEpoch(),
                adding,
                removing);
        return build(partition, shaped, partition.isr(), Election.ONLINE, acceptable, Elr.OFF);
    }

    /**
     * Whether cancelling the partition's reassignment would need an unclean election: every ISR member is a replica
     * being added, so none of the original replicas is known to have the data.
     */
    public static boolean revertNeedsUnclean(PartitionRegistration partition) {
        return partition.addingReplicas().containsAll(partition.isr());
    }

    /**
     * Cancels the reassignment in progress: the replicas being added leave the replica set and the ISR, the removing
     * ones stay. When no original replica is in the ISR ({@link #revertNeedsUnclean}, which the caller allows only
     * with unclean leader election) the ISR becomes the first acceptable original replica. Empty when no reassignment
     * is in progress.
     */
    public static Optional<PartitionRegistration> cancel(PartitionRegistration partition, IntPredicate acceptable) {
        if (!partition.isReassigning()) {
            return Optional.empty();
        }
        List<Integer> replicas = new ArrayList<>(partition.replicas());
        replicas.removeAll(partition.addingReplicas());
        List<Integer> isr = new ArrayList<>(partition.isr());
        isr.removeAll(partition.addingReplicas());
        if (isr.isEmpty()) {
            isr.add(replicas.stream().filter(acceptable::test).findFirst().orElse(replicas.get(0)));
        }
        PartitionRegistration shaped = new PartitionRegistration(
                replicas, isr, partition.leader(), partition.leaderEpoch(), partition.partitionEpoch());
        return build(partition, shaped, isr, Election.ONLINE, acceptable, Elr.OFF);
    }

    private static int electLeader(PartitionRegistration partition, Election election, IntPredicate valid) {
        List<Integer> replicas = partition.replicas();
        if (election == Election.PREFERRED && !replicas.isEmpty() && valid.test(replicas.get(0))) {
            return replicas.get(0);
        }
        if (partition.leader() != PartitionRegistration.NO_LEADER && valid.test(partition.leader())) {
            return partition.leader();
        }
        for (int replica : replicas) {
            if (valid.test(replica)) {
                return replica;
            }
        }
        return PartitionRegistration.NO_LEADER;
    }

    /** The partition with this ISR and leader and the epochs bumped as the change requires; empty if unchanged. */
    public static Optional<PartitionRegistration> next(PartitionRegistration partition, List<Integer> isr, int leader) {
        return next(
                partition,
                new PartitionRegistration(
                        partition.replicas(),
                        isr,
                        leader,
                        partition.leaderEpoch(),
                        partition.partitionEpoch(),
                        partition.addingReplicas(),
                        partition.removingReplicas(),
                        partition.elr().stream().filter(r -> !isr.contains(r)).toList(),
                        partition.lastKnownElr()));
    }

    /**
     * {@code target} (its epochs ignored) with the epochs bumped as KRaft does: a new leader, or a replica leaving the
     * replica set, bumps the leader epoch (so the departed replica's fetches are fenced); any change bumps the
     * partition epoch. Empty when nothing changes.
     */
    private static Optional<PartitionRegistration> next(PartitionRegistration partition, PartitionRegistration target) {
        boolean leaderChanged = target.leader() != partition.leader();
        boolean replicaRemoved = !target.replicas().containsAll(partition.replicas());
        boolean changed = leaderChanged
                || !target.isr().equals(partition.isr())
                || !target.replicas().equals(partition.replicas())
                || !target.addingReplicas().equals(partition.addingReplicas())
                || !target.removingReplicas().equals(partition.removingReplicas())
                || !target.elr().equals(partition.elr())
                || !target.lastKnownElr().equals(partition.lastKnownElr());
        if (!changed) {
            return Optional.empty();
        }
        int leaderEpoch = leaderChanged || replicaRemoved ? partition.leaderEpoch() + 1 : partition.leaderEpoch();
        return Optional.of(new PartitionRegistration(
                target.replicas(),
                target.isr(),
                target.leader(),
                leaderEpoch,
                partition.partitionEpoch() + 1,
                target.addingReplicas(),
                target.removingReplicas(),
                target.elr(),
                target.lastKnownElr()));
    }

    /** One member of an ISR an AlterPartition proposes, with the broker epoch the leader knows (-1: unchecked). */
    public record IsrMember(int brokerId, long brokerEpoch) {}

    /** What the controller knows of a broker when validating an AlterPartition's ISR. */
    public interface BrokerStates {
        /** The broker's registered epoch, or -1 when it is not registered. */
        long epoch(int brokerId);

        /** Whether the broker is unfenced and not in controlled shutdown. */
        boolean acceptable(int brokerId);
    }

    /**
     * Validates one partition of an AlterPartition request from broker {@code requester}, with Kafka's checks in
     * Kafka's order: epochs ahead of the controller's (NOT_CONTROLLER: this controller is stale), an older leader epoch
     * (FENCED_LEADER_EPOCH), a requester that is not the leader (INVALID_REQUEST), an older partition epoch
     * (INVALID_UPDATE_VERSION), an ISR with non-replicas, duplicates or without the leader (INVALID_REQUEST), and
     * members that are unregistered, fenced, shutting down or of another broker epoch (INELIGIBLE_REPLICA).
     */
    public static Errors validateAlterPartition(
            PartitionRegistration partition,
            int requester,
            int leaderEpoch,
            int partitionEpoch,
            List<IsrMember> newIsr,
            BrokerStates brokers) {
        if (leaderEpoch > partition.leaderEpoch() || partitionEpoch > partition.partitionEpoch()) {
            return Errors.NOT_CONTROLLER;
        }
        if (leaderEpoch < partition.leaderEpoch()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (requester != partition.leader()) {
            return Errors.INVALID_REQUEST;
        }
        if (partitionEpoch < partition.partitionEpoch()) {
            return Errors.INVALID_UPDATE_VERSION;
        }
        Set<Integer> seen = new HashSet<>();
        for (IsrMember member : newIsr) {
            if (!partition.replicas().contains(member.brokerId()) || !seen.add(member.brokerId())) {
                return Errors.INVALID_REQUEST;
            }
        }
        if (!seen.contains(partition.leader())) {
            return Errors.INVALID_REQUEST;
        }
        for (IsrMember member : newIsr) {
            long registered = brokers.epoch(member.brokerId());
            if (registered < 0
                    || !brokers.acceptable(member.brokerId())
                    || (member.brokerEpoch() != -1 && member.brokerEpoch() != registered)) {
                return Errors.INELIGIBLE_REPLICA;
            }
        }
        return Errors.NONE;
    }
}
