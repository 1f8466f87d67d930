package io.herald.tools.groups;

import io.herald.tools.CommandException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --reset-offsets}: works out each inactive group's new offsets from the reset specification
 * ({@code --to-earliest}, {@code --to-latest}, {@code --to-current}, {@code --to-offset}, {@code --shift-by},
 * {@code --to-datetime}, {@code --by-duration}, {@code --from-file}) and commits them with {@code --execute}.
 */
final class OffsetResetter {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetResetter.class);

    private final GroupClient client;
    private final GroupsOptions opts;
    private final PrintStream out;
    private final Clock clock;

    OffsetResetter(GroupClient client, GroupsOptions opts, PrintStream out, Clock clock) {
        this.client = client;
        this.opts = opts;
        this.out = out;
        this.clock = clock;
    }

    /** The plan per group (empty for a group that could not be reset), executed unless it is a dry run. */
    Map<String, Map<TopicPartition, OffsetAndMetadata>> reset(List<String> groups) throws Exception {
        var plan = new LinkedHashMap<String, Map<TopicPartition, OffsetAndMetadata>>();
        var described = client.describeGroups(groups, opts.timeoutMs());
        Set<String> streamsGroups =
                client.listGroups(ListGroupsOptions.forStreamsGroups().timeoutMs(opts.timeoutMs())).get().stream()
                        .map(GroupListing::groupId)
                        .collect(Collectors.toSet());
        for (String group : groups) {
            if (streamsGroups.contains(group)) {
                out.println("\nError: Group '" + group + "' is a streams group. Use kafka-streams-groups.sh to reset"
                        + " its offsets.");
                plan.put(group, Map.of());
                continue;
            }
            GroupState state;
            try {
                state = described.get(group).get().groupState();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                state = GroupState.DEAD;
            }
            if (state != GroupState.EMPTY && state != GroupState.DEAD) {
                out.println("\nError: Assignments can only be reset if the group '" + group
                        + "' is inactive, but the current state is " + state + ".");
                plan.put(group, Map.of());
                continue;
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = prepare(group);
                if (opts.has("execute")) {
                    client.alterOffsets(group, offsets, opts.timeoutMs()).get();
                }
                plan.put(group, offsets);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
        return plan;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        var result = new HashMap<TopicPartition, OffsetAndMetadata>();
        client.committed(group, opts.timeoutMs()).get().forEach((tp, o) -> {
            if (o != null) {
                result.put(tp, o);
            }
        });
        return result;
    }

    private Map<TopicPartition, OffsetAndMetadata> prepare(String group) throws Exception {
        Collection<TopicPartition> partitions;
        if (opts.has("all-topics")) {
            partitions = committed(group).keySet();
        } else if (opts.has("topic")) {
            partitions = TopicArgs.partitions(client, opts.values("topic"), opts.timeoutMs());
        } else {
            partitions = List.of();
        }
        checkPartitions(partitions);
        var requested = new HashMap<TopicPartition, Long>();
        if (opts.has("to-earliest")) {
            return known(offsets(partitions, OffsetSpec.earliest()), partitions, "starting offset");
        } else if (opts.has("to-latest")) {
            return known(offsets(partitions, OffsetSpec.latest()), partitions, "ending offset");
        } else if (opts.has("to-offset")) {
            long target = opts.longValue("to-offset");
            partitions.forEach(tp -> requested.put(tp, target));
        } else if (opts.has("shift-by")) {
            Map<TopicPartition, OffsetAndMetadata> current = committed(group);
            long shift = opts.longValue("shift-by");
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = current.get(tp);
                if (c == null) {
                    throw new IllegalArgumentException(
                            "Cannot shift offset for partition " + tp + " since there is no current committed offset");
                }
                requested.put(tp, c.offset() + shift);
            }
        } else if (opts.has("to-datetime")) {
            return atTimestamp(partitions, DateTimes.parse(opts.value("to-datetime")));
        } else if (opts.has("by-duration")) {
            Duration duration;
            try {
                duration = Duration.parse(opts.value("by-duration"));
            } catch (DateTimeParseException e) {
                throw new CommandException(e.toString());
            }
            return atTimestamp(partitions, clock.instant().minus(duration).toEpochMilli());
        } else if (opts.has("from-file")) {
            Map<TopicPartition, OffsetAndMetadata> fromFile = planFromFile().get(group);
            if (fromFile == null) {
                out.println("\nError: No reset plan for group " + group + " found.");
                return Map.of();
            }
            fromFile.forEach((tp, o) -> requested.put(tp, o.offset()));
        } else {
            Map<TopicPartition, OffsetAndMetadata> current = committed(group);
            var result = new HashMap<TopicPartition, OffsetAndMetadata>();
            var missing = new ArrayList<TopicPartition>();
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = current.get(tp);
                if (c != null) {
                    result.put(tp, new OffsetAndMetadata(c.offset()));
                } else {
                    missing.add(tp);
                }
            }
            result.putAll(known(offsets(missing, OffsetSpec.latest()), missing, "ending offset"));
            return result;
        }
        return clamp(requested);
    }

    private static Map<TopicPartition, OffsetAndMetadata> known(
            Map<TopicPartition, Long> offsets, Collection<TopicPartition> partitions, String what) {
        var result = new HashMap<TopicPartition, OffsetAndMetadata>();
        for (TopicPartition tp : partitions) {
            Long o = offsets.get(tp);
            if (o == null) {
                throw new CommandException("Error getting " + what + " of topic partition: " + tp);
            }
            result.put(tp, new OffsetAndMetadata(o));
        }
        return result;
    }

    /** The first offset at or after {@code timestamp}; the latest offset where there is none. */
    private Map<TopicPartition, OffsetAndMetadata> atTimestamp(Collection<TopicPartition> partitions, long timestamp)
            throws InterruptedException {
        Map<TopicPartition, Long> found = offsets(partitions, OffsetSpec.forTimestamp(timestamp));
        var empty = new ArrayList<TopicPartition>();
        found.forEach((tp, o) -> {
            if (o == -1L) {
                empty.add(tp);
            }
        });
        for (TopicPartition tp : empty) {
            out.println("\nWarn: Partition " + tp.partition() + " from topic " + tp.topic()
                    + " is empty. Falling back to latest known offset.");
        }
        found.keySet().removeAll(empty);
        found.putAll(offsets(empty, OffsetSpec.latest()));
        return known(found, partitions, "offset by timestamp");
    }

    /** Keeps each requested offset inside its partition's range, as Kafka does (with a warning). */
    private Map<TopicPartition, OffsetAndMetadata> clamp(Map<TopicPartition, Long> requested)
            throws InterruptedException {
        Map<TopicPartition, Long> earliest = offsets(requested.keySet(), OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(requested.keySet(), OffsetSpec.latest());
        var result = new HashMap<TopicPartition, OffsetAndMetadata>();
        requested.forEach((tp, offset) -> {
            long target = offset;
            Long high = latest.get(tp);
            Long low = earliest.get(tp);
            if (high != null && offset > high) {
                LOG.warn(
                        "New offset ({}) is higher than latest offset for topic partition {}. Value will be set to"
                                + " {}.",
                        offset,
                        tp,
                        high);
                target = high;
            } else if (low != null && offset < low) {
                LOG.warn(
                        "New offset ({}) is lower than earliest offset for topic partition {}. Value will be set to"
                                + " {}.",
                        offset,
                        tp,
                        low);
                target = low;
            }
            result.put(tp, new OffsetAndMetadata(target));
        });
        return result;
    }

    /** Offsets at {@code spec}; partitions whose lookup fails are left out. */
    Map<TopicPartition, Long> offsets(Collection<TopicPartition> tps, OffsetSpec spec) throws InterruptedException {
        return TopicArgs.offsets(client, tps, spec, opts.timeoutMs());
    }

    /** Kafka refuses to reset partitions that do not exist or have no leader. */
    private void checkPartitions(Collection<TopicPartition> partitions) throws InterruptedException {
        if (partitions.isEmpty()) {
            return;
        }
        Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        var existing = new HashSet<TopicPartition>();
        var leaderless = new HashSet<TopicPartition>();
        for (var e : client.describeTopics(topics, opts.timeoutMs()).entrySet()) {
            TopicDescription d;
            try {
                d = e.getValue().get();
            } catch (ExecutionException ex) {
                continue;
            }
            d.partitions().forEach(p -> {
                var tp = new TopicPartition(e.getKey(), p.partition());
                existing.add(tp);
                if (p.leader() == null) {
                    leaderless.add(tp);
                }
            });
        }
        String missing = partitions.stream()
                .filter(tp -> !existing.contains(tp))
                .map(TopicPartition::toString)
                .collect(Collectors.joining(","));
        if (!missing.isEmpty()) {
            throw new UnknownTopicOrPartitionException("The partitions \"" + missing + "\" do not exist");
        }
        String noLeader = partitions.stream()
                .filter(leaderless::contains)
                .map(TopicPartition::toString)
                .collect(Collectors.joining(","));
        if (!noLeader.isEmpty()) {
            throw new LeaderNotAvailableException("The partitions \"" + noLeader + "\" have no leader");
        }
    }

    /**
     * The {@code --from-file} plan: {@code topic,partition,offset} lines for the one {@code --group}, otherwise
     * {@code group,topic,partition,offset} lines.
     */
    private Map<String, Map<TopicPartition, OffsetAndMetadata>> planFromFile() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(opts.value("from-file"))).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new CommandException(e.toString());
        }
        boolean withoutGroup = opts.values("group").size() == 1
                && !lines.isEmpty()
                && lines.get(0).split(",", -1).length == 3;
        var plan = new HashMap<String, Map<TopicPartition, OffsetAndMetadata>>();
        for (String line : lines) {
            String[] f = line.split(",", -1);
            int first = withoutGroup ? 0 : 1;
            if (f.length != first + 3) {
                throw new CommandException("Invalid line in reset plan: " + line);
            }
            String group = withoutGroup ? opts.values("group").get(0) : f[0].trim();
            try {
                plan.computeIfAbsent(group, g -> new HashMap<>())
                        .put(
                                new TopicPartition(f[first].trim(), Integer.parseInt(f[first + 1].trim())),
                                new OffsetAndMetadata(Long.parseLong(f[first + 2].trim())));
            } catch (NumberFormatException e) {
                throw new CommandException("Invalid line in reset plan: " + line);
            }
        }
        return plan;
    }

    /** {@code --export}: the plan as CSV, with a group column unless exactly one {@code --group} was given. */
    static String csv(Map<String, Map<TopicPartition, OffsetAndMetadata>> plan, boolean withGroup) {
        var out = new StringBuilder();
        plan.forEach((group, offsets) -> GroupPrinter.sorted(offsets.keySet()).forEach(tp -> {
            if (withGroup) {
                out.append(group).append(',');
            }
            out.append(tp.topic())
                    .append(',')
                    .append(tp.partition())
                    .append(',')
                    .append(offsets.get(tp).offset())
                    .append('\n');
        }));
        return out.toString();
    }
}
