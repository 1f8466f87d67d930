package io.herald.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * Herald's own layout of {@code __consumer_offsets} records. A key is a type and the group id (plus topic and
 * partition for an offset), so compaction keeps the latest offset per partition and the latest state per group; a
 * group's value is its whole membership, so one record restores it.
 */
final class GroupRecords {
    static final int OFFSET = 1;
    static final int CLASSIC_GROUP = 2;
    static final int CONSUMER_GROUP = 3;
    private static final int VALUE_VERSION = 0;

    private GroupRecords() {}

    sealed interface Decoded permits OffsetEntry, ClassicEntry, ConsumerEntry {}

    /** {@code offset} is null for a deleted offset. */
    record OffsetEntry(String groupId, TopicPartition partition, CommittedOffset offset) implements Decoded {}

    /** {@code group} is null for a deleted group. */
    record ClassicEntry(String groupId, ClassicGroup group) implements Decoded {}

    record ConsumerEntry(String groupId, ConsumerGroup group) implements Decoded {}

    static GroupRecord offset(String groupId, TopicPartition tp, CommittedOffset offset) {
        byte[] key = offsetKey(groupId, tp);
        if (offset == null) {
            return new GroupRecord(key, null);
        }
        byte[] value = new Bytes.Writer()
                .i16(VALUE_VERSION)
                .i64(offset.offset())
                .i32(offset.leaderEpoch())
                .str(offset.metadata())
                .i64(offset.commitTimestampMs())
                .i64(offset.expireTimestampMs())
                .toByteArray();
        return new GroupRecord(key, value);
    }

    private static byte[] offsetKey(String groupId, TopicPartition tp) {
        return new Bytes.Writer()
                .i16(OFFSET)
                .str(groupId)
                .str(tp.topic())
                .i32(tp.partition())
                .toByteArray();
    }

    static GroupRecord groupTombstone(int type, String groupId) {
        return new GroupRecord(groupKey(type, groupId), null);
    }

    private static byte[] groupKey(int type, String groupId) {
        return new Bytes.Writer().i16(type).str(groupId).toByteArray();
    }

    static GroupRecord classicGroup(ClassicGroup g) {
        Bytes.Writer w = new Bytes.Writer()
                .i16(VALUE_VERSION)
                .str(g.protocolType)
                .i32(g.generationId)
                .str(g.protocolName)
                .str(g.leaderId)
                .i64(g.stateTimestampMs)
                .i32(g.members.size());
        for (ClassicMember m : g.members.values()) {
            w.str(m.memberId)
                    .str(m.groupInstanceId)
                    .str(m.clientId)
                    .str(m.clientHost)
                    .i32(m.rebalanceTimeoutMs)
                    .i32(m.sessionTimeoutMs)
                    .i32(m.protocols.size());
            for (ClassicMember.Protocol p : m.protocols) {
                w.str(p.name()).bytes(p.metadata());
            }
            w.bytes(m.assignment);
        }
        return new GroupRecord(groupKey(CLASSIC_GROUP, g.groupId), w.toByteArray());
    }

    static GroupRecord consumerGroup(ConsumerGroup g) {
        Bytes.Writer w = new Bytes.Writer()
                .i16(VALUE_VERSION)
                .i32(g.groupEpoch)
                .i32(g.assignmentEpoch)
                .i64(g.stateTimestampMs)
                .i32(g.subscribedTopicPartitions.size());
        g.subscribedTopicPartitions.forEach((topic, count) -> w.str(topic).i32(count));
        w.i32(g.members.size());
        for (ConsumerMember m : g.members.values()) {
            w.str(m.memberId)
                    .str(m.instanceId)
                    .str(m.rackId)
                    .str(m.clientId)
                    .str(m.clientHost)
                    .i32(m.rebalanceTimeoutMs)
                    .str(m.serverAssignor)
                    .i32(m.subscribedTopicNames.size());
            m.subscribedTopicNames.forEach(w::str);
            w.str(m.subscribedTopicRegex);
            w.i32(m.memberEpoch).i32(m.previousMemberEpoch).i16(m.state.ordinal());
            writePartitions(w, m.assigned);
            writePartitions(w, m.pendingRevocation);
            writePartitions(w, g.target.getOrDefault(m.memberId, Map.of()));
        }
        return new GroupRecord(groupKey(CONSUMER_GROUP, g.groupId), w.toByteArray());
    }

    private static void writePartitions(Bytes.Writer w, Map<Uuid, Set<Integer>> partitions) {
        w.i32(partitions.size());
        partitions.forEach((id, set) -> {
            w.i64(id.getMostSignificantBits()).i64(id.getLeastSignificantBits()).i32(set.size());
            set.forEach(w::i32);
        });
    }

    private static Map<Uuid, Set<Integer>> readPartitions(Bytes.Reader r) {
        Map<Uuid, Set<Integer>> result = new TreeMap<>();
        int topics = r.i32();
        for (int i = 0; i < topics; i++) {
            Uuid id = new Uuid(r.i64(), r.i64());
            int count = r.i32();
            Set<Integer> set = new TreeSet<>();
            for (int j = 0; j < count; j++) {
                set.add(r.i32());
            }
            result.put(id, set);
        }
        return result;
    }

    /** Decodes a record read back from the partition; throws IllegalArgumentException on a record it cannot read. */
    static Decoded decode(GroupRecord record, long nowMs) {
        Bytes.Reader key = new Bytes.Reader(record.key());
        int type = key.i16();
        String groupId = key.str();
        Bytes.Reader value = record.value() == null ? null : new Bytes.Reader(record.value());
        if (value != null && value.i16() != VALUE_VERSION) {
            throw new IllegalArgumentException("unknown value version of a group record of " + groupId);
        }
        return switch (type) {
            case OFFSET -> {
                TopicPartition tp = new TopicPartition(key.str(), key.i32());
                yield new OffsetEntry(
                        groupId,
                        tp,
                        value == null
                                ? null
                                : new CommittedOffset(value.i64(), value.i32(), value.str(), value.i64(), value.i64()));
            }
            case CLASSIC_GROUP -> new ClassicEntry(groupId, value == null ? null : readClassic(groupId, value, nowMs));
            case CONSUMER_GROUP ->
                new ConsumerEntry(groupId, value == null ? null : readConsumer(groupId, value, nowMs));
            default -> throw new IllegalArgumentException("unknown group record type " + type);
        };
    }

    private static ClassicGroup readClassic(String groupId, Bytes.Reader r, long nowMs) {
        ClassicGroup g = new ClassicGroup(groupId, nowMs);
        g.protocolType = r.str();
        g.generationId = r.i32();
        g.protocolName = r.str();
        g.leaderId = r.str();
        g.stateTimestampMs = r.i64();
        int members = r.i32();
        for (int i = 0; i < members; i++) {
            ClassicMember m = new ClassicMember(r.str());
            m.groupInstanceId = r.str();
            m.clientId = r.str();
            m.clientHost = r.str();
            m.rebalanceTimeoutMs = r.i32();
            m.sessionTimeoutMs = r.i32();
            int protocols = r.i32();
            List<ClassicMember.Protocol> list = new ArrayList<>();
            for (int j = 0; j < protocols; j++) {
                list.add(new ClassicMember.Protocol(r.str(), r.bytes()));
            }
            m.protocols = List.copyOf(list);
            m.assignment = r.bytes();
            // A member loaded from the log gets a fresh session: it has had no chance to heartbeat here yet.
            m.sessionDeadlineMs = nowMs + m.sessionTimeoutMs;
            g.members.put(m.memberId, m);
            if (m.groupInstanceId != null) {
                g.staticMembers.put(m.groupInstanceId, m.memberId);
            }
        }
        g.state = g.members.isEmpty() ? ClassicGroup.State.EMPTY : ClassicGroup.State.STABLE;
        return g;
    }

    private static ConsumerGroup readConsumer(String groupId, Bytes.Reader r, long nowMs) {
        ConsumerGroup g = new ConsumerGroup(groupId, nowMs);
        g.groupEpoch = r.i32();
        g.assignmentEpoch = r.i32();
        g.stateTimestampMs = r.i64();
        int topics = r.i32();
        for (int i = 0; i < topics; i++) {
            g.subscribedTopicPartitions.put(r.str(), r.i32());
        }
        int members = r.i32();
        for (int i = 0; i < members; i++) {
            ConsumerMember m = new ConsumerMember(r.str());
            m.instanceId = r.str();
            m.rackId = r.str();
            m.clientId = r.str();
            m.clientHost = r.str();
            m.rebalanceTimeoutMs = r.i32();
            m.serverAssignor = r.str();
            int subscribed = r.i32();
            List<String> names = new ArrayList<>();
            for (int j = 0; j < subscribed; j++) {
                names.add(r.str());
            }
            m.subscribedTopicNames = List.copyOf(names);
            m.subscribedTopicRegex = r.str();
            m.memberEpoch = r.i32();
            m.previousMemberEpoch = r.i32();
            m.state = ConsumerMember.State.values()[r.i16()];
            m.assigned = readPartitions(r);
            m.pendingRevocation = readPartitions(r);
            g.target.put(m.memberId, readPartitions(r));
            m.sessionDeadlineMs = Long.MAX_VALUE; // set by the shard from its session timeout on load
            g.members.put(m.memberId, m);
        }
        return g;
    }
}
