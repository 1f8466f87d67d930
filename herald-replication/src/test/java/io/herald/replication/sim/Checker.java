package io.herald.replication.sim;

import io.herald.metadata.PartitionRegistration;
import io.herald.replication.LeaderState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The invariants, checked after every step of a schedule (and at the moments a rule applies): a violation throws
 * {@link Violation}, which ends the run with the seed and the trace.
 *
 * <ul>
 *   <li>No acknowledged record is lost: every acked offset holds its value in the log of every ISR member and every
 *       eligible leader replica (so in the current leader's), and a consumer reading to the high watermark at the end
 *       reads it.
 *   <li>At most one broker leads a leader epoch; the controller never elects outside the ISR and the eligible
 *       replicas, never empties the ISR unless its members became eligible replicas (and then has no leader).
 *   <li>ISR members and eligible leader replicas agree with every acting leader on each offset below that leader's
 *       high watermark.
 *   <li>A leader's high watermark never decreases within its epoch; a consumer never sees a record it read change or
 *       the committed prefix it saw shrink; nobody truncates below its own high watermark.
 * </ul>
 */
final class Checker {
    /** An invariant does not hold. */
    static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }

    private final SimWorld world;
    private List<SimBroker> brokers;
    private SimController controller;
    private final TreeMap<Long, Long> acknowledged = new TreeMap<>();
    private final TreeMap<Long, Long> consumed = new TreeMap<>();
    private final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
    private final Map<Long, Long> leaderHighWatermarks = new HashMap<>();
    private final Map<Long, Long> agreedUpTo = new HashMap<>();
    private final Map<Integer, Long> consumedUpTo = new HashMap<>();
    private long consumeGeneration = -1;
    private int prefixCheckedLeader = PartitionRegistration.NO_LEADER;
    private long prefixCheckedUpTo;
    private long committedSeen;
    private long generation;
    private long agreedGeneration = -1;
    private boolean recheckAcknowledged;
    private Long firstUncheckedAck;
    private int elrElections;

    Checker(SimWorld world) {
        this.world = world;
    }

    void bind(List<SimBroker> brokers, SimController controller) {
        this.brokers = brokers;
        this.controller = controller;
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** How many times the controller elected an eligible leader replica (KIP-966) in this schedule. */
    int elrElections() {
        return elrElections;
    }

    static void fail(String message) {
        throw new Violation(message);
    }

    // ---- events the nodes report

    void acknowledged(SimBroker leader, long baseOffset, List<Long> values, int leaderEpoch) {
        for (int i = 0; i < values.size(); i++) {
            long offset = baseOffset + i;
            Long previous = acknowledged.put(offset, values.get(i));
            if (previous != null && !previous.equals(values.get(i))) {
                fail("offset " + offset + " acknowledged twice with different values: " + previous + " then "
                        + values.get(i) + " (by " + SimWorld.name(leader.id) + " in epoch " + leaderEpoch + ")");
            }
        }
        if (firstUncheckedAck == null || baseOffset < firstUncheckedAck) {
            firstUncheckedAck = baseOffset;
        }
    }

    void becameLeader(SimBroker broker, int leaderEpoch) {
        Integer previous = leaderOfEpoch.putIfAbsent(leaderEpoch, broker.id);
        if (previous != null && previous != broker.id) {
            fail("two leaders in epoch " + leaderEpoch + ": b" + previous + " and b" + broker.id);
        }
        generation++;
    }

    void controllerChanged(PartitionRegistration before, PartitionRegistration after, String why) {
        if (after.isr().isEmpty() && (after.elr().isEmpty() || after.leader() != PartitionRegistration.NO_LEADER)) {
            fail("controller emptied the ISR without eligible leader replicas or with a leader (" + why + ")");
        }
        if (after.elr().stream().anyMatch(after.isr()::contains)) {
            fail("a replica both in the ISR and eligible: " + after + " (" + why + ")");
        }
        if (after.partitionEpoch() != before.partitionEpoch() + 1) {
            fail("partition epoch " + before.partitionEpoch() + " -> " + after.partitionEpoch());
        }
        if (after.leader() != before.leader()) {
            if (after.leaderEpoch() != before.leaderEpoch() + 1) {
                fail("leader changed without a new leader epoch: " + before + " -> " + after);
            }
            if (after.leader() != PartitionRegistration.NO_LEADER
                    && !before.isr().contains(after.leader())
                    && !before.elr().contains(after.leader())) {
                fail("unclean election of b" + after.leader() + " outside ISR " + before.isr() + " and ELR "
                        + before.elr() + " (" + why + ")");
            }
            if (after.leader() != PartitionRegistration.NO_LEADER
                    && !before.isr().contains(after.leader())) {
                elrElections++;
            }
        } else if (after.leaderEpoch() != before.leaderEpoch()) {
            fail("leader epoch changed for the same leader: " + before + " -> " + after);
        }
        if (after.leader() != PartitionRegistration.NO_LEADER) {
            if (!after.isr().contains(after.leader())) {
                fail("leader b" + after.leader() + " outside its ISR " + after.isr());
            }
            Integer previous = leaderOfEpoch.putIfAbsent(after.leaderEpoch(), after.leader());
            if (previous != null && previous != after.leader()) {
                fail("controller named two leaders for epoch " + after.leaderEpoch());
            }
        }
        recheckAcknowledged = true;
        generation++;
    }

    void truncating(SimBroker broker, long offset) {
        if (offset < broker.log.highWatermark()) {
            fail(SimWorld.name(broker.id) + " truncates to " + offset + " below its high watermark " + broker.log);
        }
        recheckAcknowledged = true;
        generation++;
    }

    void fetchBeyondLogEnd(SimBroker leader, Message.Fetch fetch) {
        fail("b" + fetch.replicaId() + " fetches from " + fetch.fetchOffset() + " (last epoch "
                + fetch.lastFetchedEpoch() + ") beyond leader " + SimWorld.name(leader.id)
                + "'s log end without a diverging epoch: " + leader.log);
    }

    // ---- after every step

    void afterStep() {
        checkLeaderHighWatermarks();
        checkAcknowledged();
        checkIsrAgreement();
    }

    private void checkLeaderHighWatermarks() {
        for (SimBroker broker : brokers) {
            LeaderState state = broker.leaderState();
            if (state == null) {
                continue;
            }
            long key = ((long) broker.id << 32) | state.leaderEpoch();
            long hw = broker.log.highWatermark();
            Long previous = leaderHighWatermarks.put(key, hw);
            if (previous != null && hw < previous) {
                fail(SimWorld.name(broker.id) + "'s high watermark went back from " + previous + " to " + hw
                        + " in epoch " + state.leaderEpoch());
            }
        }
    }

    private void checkAcknowledged() {
        Long from = recheckAcknowledged ? Long.valueOf(Long.MIN_VALUE) : firstUncheckedAck;
        if (from == null || acknowledged.isEmpty()) {
            return;
        }
        PartitionRegistration partition = controller.partition();
        List<Integer> electable = new java.util.ArrayList<>(partition.isr());
        electable.addAll(partition.elr());
        for (var entry : acknowledged.tailMap(from, true).entrySet()) {
            for (int member : electable) {
                Long value = brokers.get(member).log.valueAt(entry.getKey());
                if (!entry.getValue().equals(value)) {
                    fail("acknowledged record lost: offset " + entry.getKey() + " value " + entry.getValue()
                            + " but ISR/ELR member b" + member + " has " + value + " (partition " + partition + ", "
                            + brokers.get(member) + ")");
                }
            }
        }
        recheckAcknowledged = false;
        firstUncheckedAck = null;
    }

    /** ISR members hold exactly the leader's records below its high watermark; checked incrementally. */
    private void checkIsrAgreement() {
        if (agreedGeneration != generation) {
            agreedUpTo.clear();
            agreedGeneration = generation;
        }
        // Eligible leader replicas too: the leader's high watermark stops while the ISR is below min ISR (KIP-966).
        List<Integer> isr = new java.util.ArrayList<>(controller.partition().isr());
        isr.addAll(controller.partition().elr());
        for (SimBroker leader : brokers) {
            if (leader.leaderState() == null) {
                continue;
            }
            long hw = leader.log.highWatermark();
            for (int member : isr) {
                if (member == leader.id) {
                    continue;
                }
                long key = ((long) leader.id << 32) | member;
                long from = agreedUpTo.getOrDefault(key, 0L);
                if (from >= hw) {
                    continue;
                }
                SimLog follower = brokers.get(member).log;
                for (long offset = from; offset < hw; offset++) {
                    Long mine = leader.log.valueAt(offset);
                    if (!mine.equals(follower.valueAt(offset))
                            || leader.log.epochAt(offset) != follower.epochAt(offset)) {
                        fail("ISR/ELR member b" + member + " disagrees with leader " + SimWorld.name(leader.id)
                                + " at offset " + offset + " below its high watermark " + hw + ": "
                                + follower.valueAt(offset) + " vs " + mine + " (" + brokers.get(member) + ", "
                                + leader + ")");
                    }
                }
                agreedUpTo.put(key, hw);
            }
        }
    }

    // ---- the consumer

    /**
     * A consumer reads from a broker that acts as leader (maybe a deposed one that does not know yet), up to its high
     * watermark: what it read before must read the same, and the controller's leader must hold everything it has seen
     * as committed.
     */
    void consumeFrom(SimBroker leader) {
        long hw = leader.log.highWatermark();
        // A log below its high watermark only changes by truncation or a change of role, which bump the generation.
        long from = consumeGeneration == generation ? consumedUpTo.getOrDefault(leader.id, 0L) : 0L;
        if (consumeGeneration != generation) {
            consumedUpTo.clear();
            consumeGeneration = generation;
            prefixCheckedUpTo = 0;
        }
        for (long offset = from; offset < hw; offset++) {
            Long value = leader.log.valueAt(offset);
            Long seen = consumed.putIfAbsent(offset, value);
            if (seen != null && !seen.equals(value)) {
                fail("consumer read offset " + offset + " as " + seen + ", now as " + value + " from "
                        + SimWorld.name(leader.id));
            }
        }
        consumedUpTo.put(leader.id, Math.max(from, hw));
        committedSeen = Math.max(committedSeen, hw);
        checkCommittedPrefix();
    }

    private void checkCommittedPrefix() {
        int current = controller.partition().leader();
        if (current == PartitionRegistration.NO_LEADER) {
            return;
        }
        if (current != prefixCheckedLeader) {
            prefixCheckedLeader = current;
            prefixCheckedUpTo = 0;
        }
        SimLog log = brokers.get(current).log;
        for (var entry : consumed.subMap(prefixCheckedUpTo, committedSeen).entrySet()) {
            if (!entry.getValue().equals(log.valueAt(entry.getKey()))) {
                fail("committed prefix shrank: the consumer read offset " + entry.getKey() + " = " + entry.getValue()
                        + " but leader b" + current + " has " + log.valueAt(entry.getKey()));
            }
        }
        prefixCheckedUpTo = Math.max(prefixCheckedUpTo, committedSeen);
    }

    /** At the end, after healing: a consumer reading the leader to its high watermark reads every acked record. */
    void finalRead(SimBroker leader) {
        consumeFrom(leader);
        for (var entry : acknowledged.entrySet()) {
            if (entry.getKey() >= leader.log.highWatermark()) {
                fail("acknowledged offset " + entry.getKey() + " is not below the final high watermark " + leader);
            }
            if (!entry.getValue().equals(consumed.get(entry.getKey()))) {
                fail("consumer did not read acknowledged offset " + entry.getKey() + " = " + entry.getValue());
            }
        }
    }
}
