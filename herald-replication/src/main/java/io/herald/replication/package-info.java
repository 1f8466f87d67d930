/**
 * A partition's replication rules as deterministic state machines with no threads, sockets or clocks of their own:
 * {@link io.herald.replication.LeaderState} (follower progress, the high watermark, ISR shrink and expand proposals,
 * acks=all completion through {@link io.herald.replication.OffsetWaiters}) and
 * {@link io.herald.replication.Divergence} (where a follower truncates after a leader change). The broker drives them
 * with its network and timers; the simulation in this module's tests drives the same code with a simulated network
 * and clock.
 */
package io.herald.replication;
