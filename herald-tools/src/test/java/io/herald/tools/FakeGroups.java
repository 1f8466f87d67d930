package io.herald.tools;

import io.herald.tools.groups.GroupClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** An in-memory {@link GroupClient}: topics with offset ranges, groups with committed offsets. */
final class FakeGroups implements GroupClient {
    static final Node NODE = new Node(1, "localhost", 9092);

    final Map<String, Integer> topics = new TreeMap<>();
    final Map<TopicPartition, Long> earliest = new HashMap<>();
    final Map<TopicPartition, Long> latest = new HashMap<>();
    /** The offset found for any timestamp look-up (absent: -1, an empty partition). */
    final Map<TopicPartition, Long> byTimestamp = new HashMap<>();

    final Map<String, ConsumerGroupDescription> groups = new TreeMap<>();
    final Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
    final Map<String, Map<TopicPartition, OffsetAndMetadata>> altered = new LinkedHashMap<>();
    final Map<String, RuntimeException> deleteFailures = new HashMap<>();
    RuntimeException deleteOffsetsError;
    /** Groups listed as streams groups (and only when streams groups are asked for). */
    final Set<String> streamsGroups = new java.util.TreeSet<>();

    final Map<TopicPartition, RuntimeException> deleteOffsetsPartitionErrors = new HashMap<>();

    static <T> KafkaFuture<T> failed(RuntimeException e) {
        return KafkaFuture.completedFuture((T) null).thenApply(v -> {
            throw e;
        });
    }

    FakeGroups topic(String name, int partitions, long start, long end) {
        topics.put(name, partitions);
        for (int p = 0; p < partitions; p++) {
            earliest.put(new TopicPartition(name, p), start);
            latest.put(new TopicPartition(name, p), end);
        }
        return this;
    }

    FakeGroups group(String id, GroupState state, Map<TopicPartition, Long> offsets) {
        groups.put(
                id,
                new ConsumerGroupDescription(
                        id,
                        false,
                        List.of(),
                        "range",
                        GroupType.CLASSIC,
                        state,
                        NODE,
                        Set.of(),
                        Optional.empty(),
                        Optional.empty()));
        var c = new HashMap<TopicPartition, OffsetAndMetadata>();
        offsets.forEach((tp, o) -> c.put(tp, new OffsetAndMetadata(o)));
        committed.put(id, c);
        return this;
    }

    @Override
    public KafkaFuture<Collection<GroupListing>> listGroups(ListGroupsOptions options) {
        var result = new ArrayList<GroupListing>();
        if (options.types().contains(GroupType.STREAMS)) {
            streamsGroups.forEach(id -> result.add(
                    new GroupListing(id, Optional.of(GroupType.STREAMS), "streams", Optional.of(GroupState.EMPTY))));
            return KafkaFuture.completedFuture(result);
        }
        groups.values()
                .forEach(g -> result.add(
                        new GroupListing(g.groupId(), Optional.of(g.type()), "consumer", Optional.of(g.groupState()))));
        return KafkaFuture.completedFuture(result);
    }

    @Override
    public Map<String, KafkaFuture<ConsumerGroupDescription>> describeGroups(Collection<String> ids, int timeoutMs) {
        var result = new HashMap<String, KafkaFuture<ConsumerGroupDescription>>();
        for (String id : ids) {
            ConsumerGroupDescription d = groups.get(id);
            result.put(
                    id,
                    d != null
                            ? KafkaFuture.completedFuture(d)
                            : KafkaFuture.completedFuture(new ConsumerGroupDescription(
                                    id,
                                    false,
                                    List.of(),
                                    "",
                                    GroupType.CLASSIC,
                                    GroupState.DEAD,
                                    NODE,
                                    Set.of(),
                                    Optional.empty(),
                                    Optional.empty())));
        }
        return result;
    }

    @Override
    public KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committed(String group, int timeoutMs) {
        return KafkaFuture.completedFuture(committed.getOrDefault(group, Map.of()));
    }

    @Override
    public Map<String, KafkaFuture<Void>> deleteGroups(Collection<String> ids, int timeoutMs) {
        var result = new LinkedHashMap<String, KafkaFuture<Void>>();
        for (String id : ids) {
            RuntimeException e = deleteFailures.get(id);
            if (e == null) {
                groups.remove(id);
            }
            result.put(id, e == null ? KafkaFuture.completedFuture(null) : failed(e));
        }
        return result;
    }

    @Override
    public KafkaFuture<Void> alterOffsets(String group, Map<TopicPartition, OffsetAndMetadata> offsets, int timeoutMs) {
        altered.put(group, offsets);
        return KafkaFuture.completedFuture(null);
    }

    @Override
    public DeletedOffsets deleteOffsets(String group, Set<TopicPartition> partitions, int timeoutMs) {
        if (!groups.containsKey(group)) {
            var e = new GroupIdNotFoundException("Group " + group + " not found.");
            var each = new HashMap<TopicPartition, KafkaFuture<Void>>();
            partitions.forEach(tp -> each.put(tp, failed(e)));
            return new DeletedOffsets(failed(e), each);
        }
        var each = new HashMap<TopicPartition, KafkaFuture<Void>>();
        partitions.forEach(tp -> {
            RuntimeException e = deleteOffsetsPartitionErrors.get(tp);
            each.put(tp, e == null ? KafkaFuture.completedFuture(null) : failed(e));
        });
        return new DeletedOffsets(
                deleteOffsetsError == null ? KafkaFuture.completedFuture(null) : failed(deleteOffsetsError), each);
    }

    @Override
    public Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> listOffsets(
            Map<TopicPartition, OffsetSpec> request, int timeoutMs) {
        var result = new HashMap<TopicPartition, KafkaFuture<ListOffsetsResultInfo>>();
        request.forEach((tp, spec) -> {
            Long offset;
            if (spec instanceof OffsetSpec.EarliestSpec) {
                offset = earliest.get(tp);
            } else if (spec instanceof OffsetSpec.LatestSpec) {
                offset = latest.get(tp);
            } else {
                offset = earliest.containsKey(tp) ? byTimestamp.getOrDefault(tp, -1L) : null;
            }
            result.put(
                    tp,
                    offset == null
                            ? failed(new UnknownTopicOrPartitionException("unknown " + tp))
                            : KafkaFuture.completedFuture(new ListOffsetsResultInfo(offset, -1, Optional.empty())));
        });
        return result;
    }

    @Override
    public Map<String, KafkaFuture<TopicDescription>> describeTopics(Collection<String> names, int timeoutMs) {
        var result = new HashMap<String, KafkaFuture<TopicDescription>>();
        for (String name : names) {
            Integer n = topics.get(name);
            if (n == null) {
                result.put(
                        name,
                        failed(new UnknownTopicOrPartitionException(
                                "This server does not host this topic-partition.")));
                continue;
            }
            var partitions = new ArrayList<TopicPartitionInfo>();
            for (int p = 0; p < n; p++) {
                partitions.add(new TopicPartitionInfo(p, NODE, List.of(NODE), List.of(NODE)));
            }
            result.put(name, KafkaFuture.completedFuture(new TopicDescription(name, false, partitions)));
        }
        return result;
    }
}
