package io.herald.replication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's view of one partition for one leader epoch: how far each follower has replicated, the high watermark,
 * and when the in-sync replica set should change. No clock, thread or I/O of its own: callers pass the time and the
 * leader's log end offset, and apply what it answers (a new high watermark to the log, an ISR proposal to the
 * controller). Methods are synchronized: fetches from several followers and produces update one instance.
 *
 * <p>The rules (Kafka's): the high watermark is the smallest log end offset among the leader and every member of the
 * maximal ISR (the committed ISR plus a member whose addition is in flight), never moving backwards; it cannot move
 * until every such follower has fetched in this epoch. A follower is caught up when it fetched the leader's log end
 * offset; an ISR member not caught up for {@code replica.lag.time.max.ms} is proposed for removal; a replica that
 * reached the high watermark and this epoch's start offset is proposed for addition. One proposal at a time.
 */
public final class LeaderState {
    private final int localId;
    private final int leaderEpoch;
    private List<Integer> replicas;
    private final long epochStartOffset;
    private final Map<Integer, Follower> followers = new HashMap<>();
    private Set<Integer> isr;
    private int partitionEpoch;
    private IsrChange pending;
    private long highWatermark;
    private int minIsrForHighWatermark;

    /** One follower's progress as this leader has seen it; -1 offsets until its first fetch in this epoch. */
    private static final class Follower {
        long logEndOffset = -1;
        long lastCaughtUpMs;
        long lastFetchMs = -1;
        long lastFetchLeaderEndOffset = -1;
    }

    /** What a change answered: the high watermark if it moved, and an ISR change to propose, if any. */
    public record Update(boolean highWatermarkMoved, long highWatermark, IsrChange proposal) {}

    /**
     * Starts a leadership: {@code epochStartOffset} is the leader's log end offset when it took over (a follower must
     * reach it to join the ISR), {@code highWatermark} the log's current one. ISR members count as caught up now, so
     * they get a full lag interval to show up.
     */
    public LeaderState(
            int localId,
            int leaderEpoch,
            int partitionEpoch,
            List<Integer> replicas,
            List<Integer> isr,
            long epochStartOffset,
            long highWatermark,
            long nowMs) {
        this.localId = localId;
        this.leaderEpoch = leaderEpoch;
        this.partitionEpoch = partitionEpoch;
        this.replicas = List.copyOf(replicas);
        this.isr = new LinkedHashSet<>(isr);
        this.epochStartOffset = epochStartOffset;
        this.highWatermark = highWatermark;
        for (int replica : replicas) {
            if (replica != localId) {
                Follower follower = new Follower();
                follower.lastCaughtUpMs = nowMs;
                followers.put(replica, follower);
            }
        }
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public synchronized int partitionEpoch() {
        return partitionEpoch;
    }

    public synchronized long highWatermark() {
        return highWatermark;
    }

    /** The committed in-sync replicas (what min.insync.replicas is checked against). */
    public synchronized List<Integer> isr() {
        return List.copyOf(isr);
    }

    public synchronized boolean hasPendingIsrChange() {
        return pending != null;
    }

    /** The ISR change in flight, or null. */
    public synchronized IsrChange pendingIsrChange() {
        return pending;
    }

    public synchronized boolean isReplica(int brokerId) {
        return replicas.contains(brokerId);
    }

    /**
     * A follower fetched from {@code fetchOffset} (so its log ends there) while the leader's log ended at
     * {@code leaderEndOffset}. Only for a fetch that did not diverge ({@link Divergence#atLeader} answered null), as
     * Kafka: a diverging follower's fetch offset covers records the leader does not have. For a broker that is not a
     * replica, nothing changes.
     */
    public synchronized Update followerFetched(int replicaId, long fetchOffset, long leaderEndOffset, long nowMs) {
        Follower follower = followers.get(replicaId);
        if (follower == null) {
            return new Update(false, highWatermark, null);
        }
        if (fetchOffset >= leaderEndOffset) {
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, nowMs);
        } else if (fetchOffset >= follower.lastFetchLeaderEndOffset && follower.lastFetchMs >= 0) {
            // It has everything the leader had at its previous fetch: it was caught up then.
            follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs);
        }
        follower.lastFetchLeaderEndOffset = leaderEndOffset;
        follower.lastFetchMs = nowMs;
        follower.logEndOffset = fetchOffset;
        boolean moved = advanceHighWatermark(leaderEndOffset);
        return new Update(moved, highWatermark, maybeExpand(replicaId, follower));
    }

    /** The leader appended; with no follower in the ISR the high watermark follows the log end at once. */
    public synchronized Update leaderAppended(long leaderEndOffset) {
        boolean moved = advanceHighWatermark(leaderEndOffset);
        return new Update(moved, highWatermark, null);
    }

    /**
     * Periodic check: ISR members that have not been caught up within {@code lagTimeMaxMs} are proposed for removal.
     */
    public synchronized IsrChange maybeShrink(long nowMs, long lagTimeMaxMs) {
        if (pending != null) {
            return null;
        }
        List<Integer> kept = new ArrayList<>();
        boolean removed = false;
        for (int member : isr) {
            Follower follower = followers.get(member);
            if (member != localId && follower != null && nowMs - follower.lastCaughtUpMs > lagTimeMaxMs) {
                removed = true;
            } else {
                kept.add(member);
            }
        }
        if (!removed) {
            return null;
        }
        pending = new IsrChange(kept, leaderEpoch, partitionEpoch);
        return pending;
    }

    private IsrChange maybeExpand(int replicaId, Follower follower) {
        if (pending != null || isr.contains(replicaId)) {
            return null;
        }
        if (follower.logEndOffset >= highWatermark && follower.logEndOffset >= epochStartOffset) {
            List<Integer> grown = new ArrayList<>(isr);
            grown.add(replicaId);
            pending = new IsrChange(grown, leaderEpoch, partitionEpoch);
            return pending;
        }
        return null;
    }

    /**
     * The controller committed an ISR for this leader epoch (from AlterPartition's answer or the metadata image): it
     * replaces ours when newer. Returns the high watermark update this allows (a shrink may let it move).
     */
    public synchronized Update isrCommitted(List<Integer> newIsr, int newPartitionEpoch, long leaderEndOffset) {
        if (newPartitionEpoch < partitionEpoch) {
            return new Update(false, highWatermark, null);
        }
        if (pending != null && newPartitionEpoch > pending.partitionEpoch()) {
            pending = null;
        }
        isr = new LinkedHashSet<>(newIsr);
        partitionEpoch = newPartitionEpoch;
        boolean moved = advanceHighWatermark(leaderEndOffset);
        return new Update(moved, highWatermark, null);
    }

    /**
     * The replica set changed within this leader epoch (a reassignment adds or removes replicas): new followers start
     * with unknown progress, departed ones are forgotten.
     */
    public synchronized void replicasChanged(List<Integer> newReplicas, long nowMs) {
        replicas = List.copyOf(newReplicas);
        followers.keySet().retainAll(newReplicas);
        for (int replica : newReplicas) {
            if (replica != localId && !followers.containsKey(replica)) {
                Follower follower = new Follower();
                follower.lastCaughtUpMs = nowMs;
                followers.put(replica, follower);
            }
        }
    }

    public synchronized List<Integer> replicas() {
        return replicas;
    }

    /**
     * A follower's progress as this leader last saw it (KIP-392's replica view): its log end offset (-1 before its
     * first fetch in this epoch) and when it was last caught up.
     */
    public record FollowerProgress(int brokerId, long logEndOffset, long lastCaughtUpMs) {}

    /** The progress of every follower in the replica set, in replica order. */
    public synchronized List<FollowerProgress> followerProgress() {
        List<FollowerProgress> progress = new ArrayList<>();
        for (int replica : replicas) {
            Follower follower = followers.get(replica);
            if (follower != null) {
                progress.add(new FollowerProgress(replica, follower.logEndOffset, follower.lastCaughtUpMs));
            }
        }
        return progress;
    }

    /**
     * The controller answered that it did not apply the proposal (INELIGIBLE_REPLICA, INVALID_REQUEST): a later fetch
     * or check may propose again. Not for a proposal that may have been applied: after a timeout, a lost answer, or
     * INVALID_UPDATE_VERSION / FENCED_LEADER_EPOCH (an earlier copy may have been applied), keep it pending (resend it
     * as is) until {@link #isrCommitted} brings a newer partition epoch. Dropping it early lets the high watermark pass
     * a member the controller already counts in the ISR and may elect (the replication simulation's checker catches
     * that within a few hundred seeds).
     */
    public synchronized void proposalFailed(IsrChange proposal) {
        if (pending == proposal) {
            pending = null;
        }
    }

    /**
     * KIP-966 (eligible leader replicas on): the high watermark stays put while the committed ISR is smaller than
     * {@code minInsyncReplicas} (capped at the replica count), so every replica that left the ISR meanwhile still
     * holds everything committed and may be elected from the eligible set. 0 (the default) never holds it.
     */
    public synchronized void holdHighWatermarkBelowMinIsr(int minInsyncReplicas) {
        minIsrForHighWatermark = minInsyncReplicas;
    }

    private boolean advanceHighWatermark(long leaderEndOffset) {
        if (isr.size() < Math.min(minIsrForHighWatermark, replicas.size())) {
            return false;
        }
        long candidate = leaderEndOffset;
        for (int member : maximalIsr()) {
            if (member == localId) {
                continue;
            }
            Follower follower = followers.get(member);
            if (follower == null || follower.logEndOffset < 0) {
                return false; // a member we have not heard from in this epoch holds it back
            }
            candidate = Math.min(candidate, follower.logEndOffset);
        }
        if (candidate > highWatermark) {
            highWatermark = candidate;
            return true;
        }
        return false;
    }

    private Set<Integer> maximalIsr() {
        if (pending == null) {
            return isr;
        }
        Set<Integer> union = new LinkedHashSet<>(isr);
        union.addAll(pending.isr());
        return union;
    }

    @Override
    public synchronized String toString() {
        return "LeaderState(epoch " + leaderEpoch + ", isr " + isr + ", hw " + highWatermark + ")";
    }
}
