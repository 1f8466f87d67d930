package io.herald.coordinator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The server-side assignors of consumer groups ({@code group.consumer.assignors}): {@code uniform} spreads partitions
 * evenly and keeps members on the partitions they already have; {@code range} gives each member a contiguous range of
 * every subscribed topic, so co-partitioned topics line up. Pure functions of members, topics and the previous target.
 */
final class Assignors {
    static final String UNIFORM = "uniform";
    static final String RANGE = "range";

    record MemberSpec(String memberId, Set<Uuid> topicIds) {}

    private Assignors() {}

    static boolean known(String name) {
        return UNIFORM.equals(name) || RANGE.equals(name);
    }

    static Map<String, Map<Uuid, Set<Integer>>> assign(
            String assignor,
            List<MemberSpec> members,
            Map<Uuid, Integer> partitionCounts,
            Map<String, Map<Uuid, Set<Integer>>> previous) {
        List<MemberSpec> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(MemberSpec::memberId));
        return RANGE.equals(assignor) ? range(sorted, partitionCounts) : uniform(sorted, partitionCounts, previous);
    }

    private static Map<String, Map<Uuid, Set<Integer>>> range(
            List<MemberSpec> members, Map<Uuid, Integer> partitionCounts) {
        Map<String, Map<Uuid, Set<Integer>>> result = emptyResult(members);
        for (Map.Entry<Uuid, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            List<MemberSpec> subscribers = members.stream()
                    .filter(m -> m.topicIds().contains(topic.getKey()))
                    .toList();
            if (subscribers.isEmpty()) {
                continue;
            }
            int partitions = topic.getValue();
            int each = partitions / subscribers.size();
            int extra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = each + (i < extra ? 1 : 0);
                Set<Integer> range = new TreeSet<>();
                for (int p = next; p < next + count; p++) {
                    range.add(p);
                }
                next += count;
                if (!range.isEmpty()) {
                    result.get(subscribers.get(i).memberId()).put(topic.getKey(), range);
                }
            }
        }
        return result;
    }

    private record TopicPartitionRef(Uuid topicId, int partition) {}

    private static Map<String, Map<Uuid, Set<Integer>>> uniform(
            List<MemberSpec> members,
            Map<Uuid, Integer> partitionCounts,
            Map<String, Map<Uuid, Set<Integer>>> previous) {
        Map<String, Map<Uuid, Set<Integer>>> result = emptyResult(members);
        if (members.isEmpty()) {
            return result;
        }
        List<TopicPartitionRef> all = new ArrayList<>();
        new TreeMap<>(partitionCounts).forEach((id, count) -> {
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartitionRef(id, p));
            }
        });
        int eligibleTotal = (int) all.stream()
                .filter(tp -> members.stream().anyMatch(m -> m.topicIds().contains(tp.topicId())))
                .count();
        int floor = eligibleTotal / members.size();
        int ceilingSlots = eligibleTotal % members.size();
        Map<String, Integer> counts = new HashMap<>();
        Set<TopicPartitionRef> taken = new HashSet<>();
        // Stickiness: each member keeps what it had, up to its fair share.
        for (MemberSpec m : members) {
            int kept = 0;
            Map<Uuid, Set<Integer>> had = previous.getOrDefault(m.memberId(), Map.of());
            for (Map.Entry<Uuid, Set<Integer>> e : new TreeMap<>(had).entrySet()) {
                Integer count = partitionCounts.get(e.getKey());
                if (count == null || !m.topicIds().contains(e.getKey())) {
                    continue;
                }
                for (int p : new TreeSet<>(e.getValue())) {
                    int limit = floor + (ceilingSlots > 0 ? 1 : 0);
                    TopicPartitionRef tp = new TopicPartitionRef(e.getKey(), p);
                    if (p < count && kept < limit && !taken.contains(tp)) {
                        taken.add(tp);
                        result.get(m.memberId())
                                .computeIfAbsent(e.getKey(), k -> new TreeSet<>())
                                .add(p);
                        kept++;
                    }
                }
            }
            if (kept > floor) {
                ceilingSlots--;
            }
            counts.put(m.memberId(), kept);
        }
        // The rest go one by one to the least loaded member subscribed to their topic.
        for (TopicPartitionRef tp : all) {
            if (taken.contains(tp)) {
                continue;
            }
            MemberSpec best = null;
            for (MemberSpec m : members) {
                if (m.topicIds().contains(tp.topicId())
                        && (best == null || counts.get(m.memberId()) < counts.get(best.memberId()))) {
                    best = m;
                }
            }
            if (best != null) {
                result.get(best.memberId())
                        .computeIfAbsent(tp.topicId(), k -> new TreeSet<>())
                        .add(tp.partition());
                counts.merge(best.memberId(), 1, Integer::sum);
            }
        }
        return result;
    }

    private static Map<String, Map<Uuid, Set<Integer>>> emptyResult(List<MemberSpec> members) {
        Map<String, Map<Uuid, Set<Integer>>> result = new HashMap<>();
        members.forEach(m -> result.put(m.memberId(), new TreeMap<>()));
        return result;
    }
}
