package io.herald.replication;

import java.util.function.IntFunction;

/**
 * Where logs part ways after a leader change, decided from leader epochs alone (KIP-101/KIP-279, and KIP-595's
 * diverging-epoch field in Fetch).
 *
 * <p>The follower tells the leader the epoch of its last batch; the leader answers with the end of that epoch (or of
 * the latest earlier epoch it has) in its own log. Everything the follower has beyond that point was never part of
 * the leader's log and must go. If the follower does not know the leader's epoch either, it cuts at the end of its own
 * earlier epoch and asks again: each round moves to an older epoch, so the exchange ends.
 */
public final class Divergence {
    private Divergence() {}

    /**
     * The leader's side: whether a follower that fetches from {@code fetchOffset} with its last batch in
     * {@code lastFetchedEpoch} has diverged, given the leader's end of that epoch. Returns the epoch end to send back,
     * or {@code null} when the follower's log is a prefix of the leader's.
     */
    public static EpochEnd atLeader(int lastFetchedEpoch, long fetchOffset, EpochEnd leaderEnd) {
        if (lastFetchedEpoch < 0 || leaderEnd.undefined()) {
            return null;
        }
        if (leaderEnd.epoch() < lastFetchedEpoch || leaderEnd.endOffset() < fetchOffset) {
            return leaderEnd;
        }
        return null;
    }

    /**
     * The follower's side: the offset to truncate to, given the leader's answer, the follower's own end offsets per
     * epoch and its log start and end offsets. Never above the follower's log end offset.
     */
    public static long truncationOffset(
            EpochEnd leaderEnd, IntFunction<EpochEnd> followerEndFor, long logStartOffset, long logEndOffset) {
        EpochEnd mine = followerEndFor.apply(leaderEnd.epoch());
        if (mine.undefined()) {
            // Nothing of ours is known to share an epoch with the leader: keep nothing we cannot vouch for.
            return Math.min(logStartOffset, logEndOffset);
        }
        // Same epoch: both logs agree up to the shorter end of it. We never saw the leader's epoch: our own earlier
        // epoch ends where our unknown later ones start; cut there, then ask again with that epoch.
        long cut = mine.epoch() == leaderEnd.epoch()
                ? Math.min(leaderEnd.endOffset(), mine.endOffset())
                : mine.endOffset();
        return Math.min(cut, logEndOffset);
    }
}
