package io.herald.tools.reassign;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The replication throttles of a reassignment. While data moves, the replicas that send it (the current ones) are
 * throttled as leaders and the replicas that receive it (new ones) as followers, each listed per topic as
 * {@code partition:broker}; every broker involved gets the rate.
 */
public final class Throttles {
    public static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
    public static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";
    public static final List<String> TOPIC_CONFIGS = List.of(LEADER_REPLICAS, FOLLOWER_REPLICAS);
    public static final List<String> BROKER_CONFIGS = List.of(
            "leader.replication.throttled.rate",
            "follower.replication.throttled.rate",
            "replica.alter.log.dirs.io.max.bytes.per.second");

    private Throttles() {}

    /** The throttled replica lists of one topic, in {@code partition:broker} form, sorted as text. */
    public record TopicReplicas(SortedSet<String> leaders, SortedSet<String> followers) {
        TopicReplicas() {
            this(new TreeSet<>(), new TreeSet<>());
        }
    }

    /** Per topic (sorted), the replicas to throttle for moving {@code current} replica sets to {@code target}. */
    public static SortedMap<String, TopicReplicas> replicas(
            Map<TopicPartition, List<Integer>> target, Map<TopicPartition, List<Integer>> current) {
        var byTopic = new TreeMap<String, TopicReplicas>();
        target.forEach((tp, wanted) -> {
            List<Integer> now = current.getOrDefault(tp, List.of());
            TopicReplicas topic = byTopic.computeIfAbsent(tp.topic(), t -> new TopicReplicas());
            now.forEach(b -> topic.leaders().add(tp.partition() + ":" + b));
            wanted.stream().filter(b -> !now.contains(b)).forEach(b -> topic.followers()
                    .add(tp.partition() + ":" + b));
        });
        return byTopic;
    }

    /** Every broker holding a replica before or after the move, ascending. */
    public static SortedSet<Integer> brokers(
            Map<TopicPartition, List<Integer>> target, Map<TopicPartition, List<Integer>> current) {
        var brokers = new TreeSet<Integer>();
        target.forEach((tp, wanted) -> {
            brokers.addAll(wanted);
            brokers.addAll(current.getOrDefault(tp, List.of()));
        });
        return brokers;
    }

    /** The config changes that set the throttles of a move at {@code rate} bytes/s. */
    public static Map<ConfigResource, Collection<AlterConfigOp>> set(
            Map<TopicPartition, List<Integer>> target, Map<TopicPartition, List<Integer>> current, long rate) {
        var ops = new HashMap<ConfigResource, Collection<AlterConfigOp>>();
        replicas(target, current).forEach((topic, replicas) -> {
            var list = new ArrayList<AlterConfigOp>();
            if (!replicas.leaders().isEmpty()) {
                list.add(setting(LEADER_REPLICAS, String.join(",", replicas.leaders())));
            }
            if (!replicas.followers().isEmpty()) {
                list.add(setting(FOLLOWER_REPLICAS, String.join(",", replicas.followers())));
            }
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), list);
        });
        String bytesPerSecond = Long.toString(rate);
        for (int broker : brokers(target, current)) {
            ops.put(
                    new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)),
                    BROKER_CONFIGS.subList(0, 2).stream()
                            .map(name -> setting(name, bytesPerSecond))
                            .toList());
        }
        return ops;
    }

    /** The config changes that remove {@code names} from every resource of {@code type} named in {@code names}. */
    public static Map<ConfigResource, Collection<AlterConfigOp>> clear(
            ConfigResource.Type type, Collection<String> resources, List<String> names) {
        var ops = new HashMap<ConfigResource, Collection<AlterConfigOp>>();
        for (String resource : resources) {
            ops.put(
                    new ConfigResource(type, resource),
                    names.stream()
                            .map(n -> new AlterConfigOp(new ConfigEntry(n, null), AlterConfigOp.OpType.DELETE))
                            .toList());
        }
        return ops;
    }

    private static AlterConfigOp setting(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }
}
