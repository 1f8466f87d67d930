package io.herald.controller;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * When each broker was last heard from, for session expiry. Lives only in the active controller's memory (a new
 * active controller gives every broker a fresh session) and is touched only on the controller thread.
 */
final class BrokerHeartbeats {
    private final long sessionTimeoutNanos;
    private final Map<Integer, Long> lastContactNanos = new HashMap<>();
    private final Map<Integer, Long> controlledShutdown = new HashMap<>();
    private final Map<Integer, long[]> metadataProgress = new java.util.concurrent.ConcurrentHashMap<>();

    BrokerHeartbeats(long sessionTimeoutMs) {
        this.sessionTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMs);
    }

    void touch(int brokerId, long nowNanos) {
        lastContactNanos.put(brokerId, nowNanos);
    }

    /**
     * Makes the broker's session run out {@code graceNanos} from now unless it heartbeats again meanwhile (its
     * heartbeat connection closed, or its node went silent). A broker not seen since this controller took over has a
     * session starting now, as {@link #expired} gives it. False when the session ends sooner anyway.
     */
    boolean shorten(int brokerId, long nowNanos, long graceNanos) {
        long last = lastContactNanos.getOrDefault(brokerId, nowNanos);
        long shortened = nowNanos + graceNanos - sessionTimeoutNanos;
        if (last <= shortened) {
            return false;
        }
        lastContactNanos.put(brokerId, shortened);
        return true;
    }

    /** Records how far a broker has applied the metadata log, for DescribeQuorum's observers. */
    void progress(int brokerId, long metadataOffset, long nowMs) {
        metadataProgress.put(brokerId, new long[] {metadataOffset, nowMs});
    }

    /** Broker id to {applied metadata offset, time of the report in ms}. */
    Map<Integer, long[]> progress() {
        return Map.copyOf(metadataProgress);
    }

    void resetAll() {
        lastContactNanos.clear();
        controlledShutdown.clear();
    }

    void forget(int brokerId) {
        lastContactNanos.remove(brokerId);
        controlledShutdown.remove(brokerId);
    }

    /**
     * Puts a broker in controlled shutdown (if it is not yet): it may no longer lead or join an ISR. Like Kafka's
     * heartbeat manager this lives in the active controller's memory; after a failover the broker's next heartbeat
     * asking to shut down puts it back.
     */
    void beginControlledShutdown(int brokerId) {
        controlledShutdown.putIfAbsent(brokerId, -1L);
    }

    /** The brokers in controlled shutdown. */
    Set<Integer> inControlledShutdown() {
        return Set.copyOf(controlledShutdown.keySet());
    }

    /**
     * The metadata offset every active broker must reach before {@code brokerId} may stop: set once nothing is left to
     * move away from it (the image then holds the moves), reset while moves are still being made; -1 while unset.
     */
    long shutdownOffset(int brokerId) {
        return controlledShutdown.getOrDefault(brokerId, -1L);
    }

    void shutdownOffset(int brokerId, long offset) {
        controlledShutdown.put(brokerId, offset);
    }

    void endControlledShutdown(int brokerId) {
        controlledShutdown.remove(brokerId);
    }

    /** The metadata offset a broker last reported, or -1. */
    long reportedOffset(int brokerId) {
        long[] progress = metadataProgress.get(brokerId);
        return progress == null ? -1 : progress[0];
    }

    /** Whether the broker's session has run out; a broker not seen since this controller took over gets a session. */
    boolean expired(int brokerId, long nowNanos) {
        Long last = lastContactNanos.putIfAbsent(brokerId, nowNanos);
        return last != null && nowNanos - last > sessionTimeoutNanos;
    }

    /** Whether the broker is in a live session (registered and heard from recently). */
    boolean alive(int brokerId, long nowNanos) {
        Long last = lastContactNanos.get(brokerId);
        return last != null && nowNanos - last <= sessionTimeoutNanos;
    }
}
