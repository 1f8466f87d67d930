package io.herald.tools.reassign;

import io.herald.tools.CommandException;
import io.herald.tools.Json;
import io.herald.tools.Repeated;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The JSON files of {@code kafka-reassign-partitions.sh}: the topics-to-move file for {@code --generate}
 * ({@code {"topics":[{"topic":"foo"}],"version":1}}) and the reassignment file
 * ({@code {"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}}).
 */
public final class ReassignmentJson {
    public static final String ANY_LOG_DIR = "any";
    public static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private ReassignmentJson() {}

    private static Map<?, ?> root(String json) {
        return Json.parseVersion1Object(json);
    }

    /** The topics of a topics-to-move file, rejecting duplicates. */
    public static List<String> parseTopics(String json) {
        var topics = new ArrayList<String>();
        if (root(json).get("topics") instanceof List<?> list) {
            for (Object t : list) {
                if (!(t instanceof Map<?, ?> m) || !(m.get("topic") instanceof String topic)) {
                    throw new CommandException("Each entry of \"topics\" needs a \"topic\" string: " + Json.write(t));
                }
                topics.add(topic);
            }
        }
        Set<String> dups = Repeated.in(topics);
        if (!dups.isEmpty()) {
            throw new CommandException("List of topics to reassign contains duplicate entries: " + dups);
        }
        return topics;
    }

    /**
     * The partitions of a reassignment file with their target replicas, in file order. Log directories other than
     * {@code any} are rejected: moving replicas between a broker's directories is not supported.
     */
    public static List<Map.Entry<TopicPartition, List<Integer>>> parsePartitions(String json) {
        var result = new ArrayList<Map.Entry<TopicPartition, List<Integer>>>();
        if (!(root(json).get("partitions") instanceof List<?> list)) {
            return result;
        }
        for (Object p : list) {
            if (!(p instanceof Map<?, ?> m)
                    || !(m.get("topic") instanceof String topic)
                    || !(m.get("partition") instanceof Long partition)
                    || !(m.get("replicas") instanceof List<?> replicas)) {
                throw new CommandException(
                        "Each partition needs \"topic\", \"partition\" and \"replicas\": " + Json.write(p));
            }
            var tp = new TopicPartition(topic, partition.intValue());
            var ids = new ArrayList<Integer>();
            for (Object r : replicas) {
                if (!(r instanceof Long id)) {
                    throw new CommandException("Replica ids must be integers: " + Json.write(p));
                }
                ids.add(id.intValue());
            }
            if (m.get("log_dirs") instanceof List<?> dirs) {
                if (dirs.size() != ids.size()) {
                    throw new CommandException("Size of replicas list " + ids + " is different from size of log dirs"
                            + " list " + dirs + " for partition " + tp);
                }
                if (dirs.stream().anyMatch(d -> !ANY_LOG_DIR.equals(d))) {
                    throw new CommandException("Moving replicas between log directories is not supported: " + tp);
                }
            }
            result.add(Map.entry(tp, List.copyOf(ids)));
        }
        return result;
    }

    /** Kafka's reassignment JSON for {@code assignment}, partitions sorted, every log dir {@code any}. */
    public static String format(Map<TopicPartition, List<Integer>> assignment) {
        List<Object> partitions = assignment.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(ORDER))
                .map(e -> partition(e.getKey(), e.getValue()))
                .toList();
        var root = new LinkedHashMap<String, Object>();
        root.put("version", 1);
        root.put("partitions", partitions);
        return Json.write(root);
    }

    private static Object partition(TopicPartition tp, List<Integer> replicas) {
        var p = new LinkedHashMap<String, Object>();
        p.put("topic", tp.topic());
        p.put("partition", tp.partition());
        p.put("replicas", replicas);
        p.put("log_dirs", Collections.nCopies(replicas.size(), ANY_LOG_DIR));
        return p;
    }

    /** Duplicated partitions or replicas are refused with Kafka's messages. */
    public static Map<TopicPartition, List<Integer>> validate(List<Map.Entry<TopicPartition, List<Integer>>> parts) {
        if (parts.isEmpty()) {
            throw new CommandException("Partition reassignment list cannot be empty");
        }
        if (parts.stream().anyMatch(e -> e.getValue().isEmpty())) {
            throw new CommandException("Partition replica list cannot be empty");
        }
        Set<TopicPartition> dupParts =
                Repeated.in(parts.stream().map(Map.Entry::getKey).toList());
        if (!dupParts.isEmpty()) {
            throw new CommandException("Partition reassignment contains duplicate topic partitions: "
                    + dupParts.stream().map(TopicPartition::toString).collect(Collectors.joining(",")));
        }
        List<String> msgs = parts.stream()
                .filter(e -> !Repeated.in(e.getValue()).isEmpty())
                .map(e -> e.getKey() + " contains multiple entries for "
                        + Repeated.in(e.getValue()).stream()
                                .map(String::valueOf)
                                .collect(Collectors.joining(",")))
                .toList();
        if (!msgs.isEmpty()) {
            throw new CommandException(
                    "Partition replica lists may not contain duplicate entries: " + String.join(". ", msgs));
        }
        var result = new LinkedHashMap<TopicPartition, List<Integer>>();
        parts.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }
}
