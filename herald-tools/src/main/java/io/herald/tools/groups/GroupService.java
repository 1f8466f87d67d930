package io.herald.tools.groups;

import io.herald.tools.CommandException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DeleteConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** Carries out {@code kafka-consumer-groups.sh} actions against an {@link Admin} client and prints Kafka's output. */
public final class GroupService {
    private final Admin admin;
    private final GroupsOptions opts;
    private final PrintStream out;
    private final PrintStream err;

    public GroupService(Admin admin, GroupsOptions opts, PrintStream out, PrintStream err) {
        this.admin = admin;
        this.opts = opts;
        this.out = out;
        this.err = err;
    }

    public void execute() throws Exception {
        if (opts.has("list")) {
            list();
        } else if (opts.has("describe")) {
            describe();
        } else if (opts.has("delete")) {
            delete();
        } else if (opts.has("reset-offsets")) {
            reset();
        }
    }

    private List<String> consumerGroupIds() throws Exception {
        return admin.listGroups(ListGroupsOptions.forConsumerGroups().timeoutMs(opts.timeoutMs())).all().get().stream()
                .map(GroupListing::groupId)
                .toList();
    }

    private List<String> selectedGroups() throws Exception {
        return opts.has("all-groups") ? consumerGroupIds() : opts.values("group");
    }

    void list() throws Exception {
        boolean withType = opts.has("type");
        boolean withState = opts.has("state");
        if (!withType && !withState) {
            consumerGroupIds().forEach(out::println);
            return;
        }
        var listOpts = ListGroupsOptions.forConsumerGroups().timeoutMs(opts.timeoutMs());
        String states = opts.value("state");
        if (states != null && !states.isEmpty()) {
            listOpts.inGroupStates(parseStates(states));
        }
        String types = opts.value("type");
        if (types != null && !types.isEmpty()) {
            listOpts.withTypes(parseTypes(types));
        }
        out.print(GroupPrinter.listing(
                new ArrayList<>(admin.listGroups(listOpts).all().get()), withType, withState));
    }

    static Set<GroupState> parseStates(String input) {
        Set<GroupState> valid = GroupState.groupStatesForType(GroupType.CONSUMER);
        Set<GroupState> parsed = new HashSet<>();
        for (String s : input.split(",")) {
            parsed.add(GroupState.parse(s.trim()));
        }
        if (!valid.containsAll(parsed)) {
            throw new IllegalArgumentException("Invalid state list '" + input + "'. Valid states are: "
                    + valid.stream().map(GroupState::toString).sorted().collect(Collectors.joining(", ")));
        }
        return parsed;
    }

    static Set<GroupType> parseTypes(String input) {
        Set<GroupType> valid = Set.of(GroupType.CLASSIC, GroupType.CONSUMER);
        Set<GroupType> parsed = Arrays.stream(input.toLowerCase(Locale.ROOT).split(","))
                .map(s -> GroupType.parse(s.trim()))
                .collect(Collectors.toSet());
        if (!valid.containsAll(parsed)) {
            throw new IllegalArgumentException("Invalid types list '" + input + "'. Valid types are: "
                    + valid.stream().map(GroupType::toString).sorted().collect(Collectors.joining(", ")));
        }
        return parsed;
    }

    private Map<String, ConsumerGroupDescription> describeGroups(List<String> ids) throws Exception {
        var futures = admin.describeConsumerGroups(ids, new DescribeConsumerGroupsOptions().timeoutMs(opts.timeoutMs()))
                .describedGroups();
        var result = new TreeMap<String, ConsumerGroupDescription>();
        for (var e : futures.entrySet()) {
            result.put(e.getKey(), e.getValue().get());
        }
        return result;
    }

    /**
     * Kafka's note about a group's state before its table: an error if it does not exist, a warning if it is
     * empty or rebalancing. Returns whether the group exists.
     */
    private boolean reportState(String group, GroupState state) {
        switch (state) {
            case DEAD -> {
                out.println("\nError: Consumer group '" + group + "' does not exist.");
                return false;
            }
            case EMPTY -> err.println("\nConsumer group '" + group + "' has no active members.");
            case PREPARING_REBALANCE, COMPLETING_REBALANCE, ASSIGNING, RECONCILING ->
                err.println("\nWarning: Consumer group '" + group + "' is rebalancing.");
            case STABLE -> {}
            default -> throw new CommandException("Expected a valid consumer group state, but found '" + state + "'.");
        }
        return true;
    }

    void describe() throws Exception {
        Map<String, ConsumerGroupDescription> groups = describeGroups(selectedGroups());
        for (var entry : groups.entrySet()) {
            String group = entry.getKey();
            ConsumerGroupDescription desc = entry.getValue();
            if (opts.has("members")) {
                reportState(group, desc.groupState());
                out.print(GroupPrinter.members(group, desc.members()));
            } else if (opts.has("state")) {
                if (reportState(group, desc.groupState())) {
                    out.print(GroupPrinter.state(desc));
                }
            } else {
                List<OffsetRow> rows = offsetRows(group, desc);
                if (reportState(group, desc.groupState()) && !rows.isEmpty()) {
                    out.print(GroupPrinter.offsets(rows));
                }
            }
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        var offsets = admin.listConsumerGroupOffsets(
                        group, new ListConsumerGroupOffsetsOptions().timeoutMs(opts.timeoutMs()))
                .partitionsToOffsetAndMetadata()
                .get();
        // The Admin client maps partitions without a committed offset to null.
        var result = new HashMap<TopicPartition, OffsetAndMetadata>();
        offsets.forEach((tp, o) -> {
            if (o != null) {
                result.put(tp, o);
            }
        });
        return result;
    }

    List<OffsetRow> offsetRows(String group, ConsumerGroupDescription desc) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
        var all = new HashSet<>(committed.keySet());
        desc.members().forEach(m -> all.addAll(m.assignment().topicPartitions()));
        return offsetRows(group, desc, committed, offsets(all, OffsetSpec.latest()));
    }

    /**
     * Rows for members' partitions (members with the most partitions first, each sorted by topic and partition),
     * then committed partitions no member owns, with "-" for consumer, host and client.
     */
    static List<OffsetRow> offsetRows(
            String group,
            ConsumerGroupDescription desc,
            Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, Long> ends) {
        var assigned = new HashSet<TopicPartition>();
        var members = desc.members().stream()
                .filter(m -> !m.assignment().topicPartitions().isEmpty())
                .sorted(Comparator.<MemberDescription>comparingInt(
                                m -> m.assignment().topicPartitions().size())
                        .reversed())
                .toList();
        members.forEach(m -> assigned.addAll(m.assignment().topicPartitions()));
        var rows = new ArrayList<OffsetRow>();
        for (MemberDescription m : members) {
            sorted(m.assignment().topicPartitions())
                    .forEach(tp -> rows.add(row(group, tp, committed, ends, m.consumerId(), m.host(), m.clientId())));
        }
        sorted(committed.keySet().stream().filter(tp -> !assigned.contains(tp)).toList())
                .forEach(tp -> rows.add(
                        row(group, tp, committed, ends, OffsetRow.MISSING, OffsetRow.MISSING, OffsetRow.MISSING)));
        return rows;
    }

    private static List<TopicPartition> sorted(java.util.Collection<TopicPartition> tps) {
        return tps.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
    }

    private static OffsetRow row(
            String group,
            TopicPartition tp,
            Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, Long> ends,
            String consumer,
            String host,
            String client) {
        OffsetAndMetadata c = committed.get(tp);
        return OffsetRow.of(
                group, tp.topic(), tp.partition(), c == null ? null : c.offset(), ends.get(tp), consumer, host, client);
    }

    /** Offsets at {@code spec}; partitions whose lookup fails are left out (shown as "-"). */
    private Map<TopicPartition, Long> offsets(Set<TopicPartition> tps, OffsetSpec spec) throws InterruptedException {
        var result = new HashMap<TopicPartition, Long>();
        if (tps.isEmpty()) {
            return result;
        }
        var request = new HashMap<TopicPartition, OffsetSpec>();
        tps.forEach(tp -> request.put(tp, spec));
        var listed = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(opts.timeoutMs()));
        for (TopicPartition tp : tps) {
            try {
                result.put(tp, listed.partitionResult(tp).get().offset());
            } catch (ExecutionException e) {
                // Unknown end offset: printed as "-", as Kafka does for partitions without a leader.
            }
        }
        return result;
    }

    void delete() throws Exception {
        List<String> ids = selectedGroups();
        var futures = admin.deleteConsumerGroups(ids, new DeleteConsumerGroupsOptions().timeoutMs(opts.timeoutMs()))
                .deletedGroups();
        var failed = new LinkedHashMap<String, Throwable>();
        var deleted = new ArrayList<String>();
        for (var e : futures.entrySet()) {
            try {
                e.getValue().get();
                deleted.add(e.getKey());
            } catch (ExecutionException ex) {
                failed.put(e.getKey(), ex.getCause());
            }
        }
        out.print(GroupPrinter.deletion(failed, deleted));
    }

    void reset() throws Exception {
        var plan = new LinkedHashMap<String, Map<TopicPartition, OffsetAndMetadata>>();
        for (String group : selectedGroups()) {
            GroupState state;
            try {
                state = describeGroups(List.of(group)).get(group).groupState();
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
            Map<TopicPartition, OffsetAndMetadata> offsets = resetPlan(group);
            if (opts.has("execute")) {
                admin.alterConsumerGroupOffsets(
                                group, offsets, new AlterConsumerGroupOffsetsOptions().timeoutMs(opts.timeoutMs()))
                        .all()
                        .get();
            }
            plan.put(group, offsets);
        }
        out.print(GroupPrinter.resetPlan(plan));
    }

    private Map<TopicPartition, OffsetAndMetadata> resetPlan(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> current = committed(group);
        Set<TopicPartition> partitions = opts.has("all-topics") ? current.keySet() : topicPartitions();
        Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
        var result = new HashMap<TopicPartition, OffsetAndMetadata>();
        for (TopicPartition tp : partitions) {
            long target;
            if (opts.has("to-earliest")) {
                target = require(earliest, tp);
            } else if (opts.has("to-latest")) {
                target = require(latest, tp);
            } else if (opts.has("to-offset")) {
                target = clamp(opts.longValue("to-offset"), tp, earliest, latest);
            } else if (opts.has("shift-by")) {
                OffsetAndMetadata c = current.get(tp);
                long base = c != null ? c.offset() : require(latest, tp);
                target = clamp(base + opts.longValue("shift-by"), tp, earliest, latest);
            } else {
                OffsetAndMetadata c = current.get(tp);
                target = c != null ? c.offset() : require(latest, tp);
            }
            result.put(tp, new OffsetAndMetadata(target));
        }
        return result;
    }

    private static long require(Map<TopicPartition, Long> offsets, TopicPartition tp) {
        Long o = offsets.get(tp);
        if (o == null) {
            throw new CommandException("Error getting offset by timestamp of topic partition: " + tp);
        }
        return o;
    }

    /** Kafka keeps a requested offset inside the partition's range, warning when it had to move it. */
    private long clamp(
            long offset, TopicPartition tp, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> latest) {
        long low = require(earliest, tp);
        long high = require(latest, tp);
        if (offset > high) {
            out.println("New offset (" + offset + ") is higher than latest offset for topic partition " + tp
                    + ". Value will be set to " + high);
            return high;
        }
        if (offset < low) {
            out.println("New offset (" + offset + ") is lower than earliest offset for topic partition " + tp
                    + ". Value will be set to " + low);
            return low;
        }
        return offset;
    }

    /** {@code --topic t} (all partitions) or {@code --topic t:0,2}. */
    private Set<TopicPartition> topicPartitions() throws Exception {
        var result = new HashSet<TopicPartition>();
        var whole = new ArrayList<String>();
        for (String spec : opts.values("topic")) {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                whole.add(spec);
                continue;
            }
            String topic = spec.substring(0, colon);
            for (String p : spec.substring(colon + 1).split(",")) {
                try {
                    result.add(new TopicPartition(topic, Integer.parseInt(p.trim())));
                } catch (NumberFormatException e) {
                    throw new CommandException("Invalid partition '" + p.trim() + "' for topic " + topic);
                }
            }
        }
        if (!whole.isEmpty()) {
            admin.describeTopics(whole).allTopicNames().get().forEach((topic, d) -> d.partitions()
                    .forEach(p -> result.add(new TopicPartition(topic, p.partition()))));
        }
        return result;
    }
}
