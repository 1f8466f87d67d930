package io.herald.tools.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** {@code --topic t} / {@code --topic t:0,2} arguments and offset look-ups shared by the group actions. */
final class TopicArgs {
    private TopicArgs() {}

    /** True for {@code t:0,1}, false for a whole topic. */
    static boolean hasPartitions(String arg) {
        return arg.contains(":");
    }

    /** The partitions named by {@code t:0,1,2}. */
    static List<TopicPartition> parsePartitions(String arg) {
        String[] parts = arg.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("Invalid topic arg '" + arg + "', expected topic name and partitions");
        }
        var result = new ArrayList<TopicPartition>();
        for (String p : parts[1].split(",")) {
            try {
                result.add(new TopicPartition(parts[0], Integer.parseInt(p)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "Invalid partition '" + p + "' specified in topic arg '" + arg + "''");
            }
        }
        return result;
    }

    /** Every partition the arguments name, looking up the partitions of whole topics. */
    static List<TopicPartition> partitions(GroupClient client, List<String> args, int timeoutMs) throws Exception {
        var result = new LinkedHashSet<TopicPartition>();
        var whole = new ArrayList<String>();
        for (String arg : args) {
            if (hasPartitions(arg)) {
                result.addAll(parsePartitions(arg));
            } else {
                whole.add(arg);
            }
        }
        if (!whole.isEmpty()) {
            for (var e : client.describeTopics(whole, timeoutMs).entrySet()) {
                e.getValue().get().partitions().forEach(p -> result.add(new TopicPartition(e.getKey(), p.partition())));
            }
        }
        return new ArrayList<>(result);
    }

    /** Offsets at {@code spec}; partitions whose lookup fails are left out. */
    static Map<TopicPartition, Long> offsets(
            GroupClient client, Collection<TopicPartition> tps, OffsetSpec spec, int timeoutMs)
            throws InterruptedException {
        var result = new HashMap<TopicPartition, Long>();
        if (tps.isEmpty()) {
            return result;
        }
        var request = new HashMap<TopicPartition, OffsetSpec>();
        tps.forEach(tp -> request.put(tp, spec));
        for (var e : client.listOffsets(request, timeoutMs).entrySet()) {
            try {
                result.put(e.getKey(), e.getValue().get().offset());
            } catch (ExecutionException ex) {
                // Unknown offset: the caller prints "-" or reports the partition.
            }
        }
        return result;
    }
}
