package io.herald.tools.groups;

import io.herald.tools.CommandException;
import java.io.PrintStream;
import java.time.Clock;
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
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/** Carries out {@code kafka-consumer-groups.sh} actions against a {@link GroupClient} and prints Kafka's output. */
public final class GroupService {
    private final GroupClient client;
    private final GroupsOptions opts;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    public GroupService(GroupClient client, GroupsOptions opts, PrintStream out, PrintStream err, Clock clock) {
        this.client = client;
        this.opts = opts;
        this.out = out;
        this.err = err;
        this.clock = clock;
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
        } else if (opts.has("delete-offsets")) {
            deleteOffsets();
        }
    }

    private List<String> consumerGroupIds() throws Exception {
        return client.listGroups(ListGroupsOptions.forConsumerGroups().timeoutMs(opts.timeoutMs())).get().stream()
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
        out.print(
                GroupPrinter.listing(new ArrayList<>(client.listGroups(listOpts).get()), withType, withState));
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
        var result = new TreeMap<String, ConsumerGroupDescription>();
        for (var e : client.describeGroups(ids, opts.timeoutMs()).entrySet()) {
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
        boolean verbose = opts.has("verbose");
        Map<String, ConsumerGroupDescription> groups = describeGroups(selectedGroups());
        for (var entry : groups.entrySet()) {
            String group = entry.getKey();
            ConsumerGroupDescription desc = entry.getValue();
            if (opts.has("members")) {
                reportState(group, desc.groupState());
                out.print(GroupPrinter.members(desc, verbose));
            } else if (opts.has("state")) {
                if (reportState(group, desc.groupState())) {
                    out.print(GroupPrinter.state(desc, verbose));
                }
            } else {
                List<OffsetRow> rows = offsetRows(group, desc);
                if (reportState(group, desc.groupState()) && !rows.isEmpty()) {
                    out.print(GroupPrinter.offsets(rows, verbose));
                }
            }
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        // Partitions without a committed offset may map to null.
        var result = new HashMap<TopicPartition, OffsetAndMetadata>();
        client.committed(group, opts.timeoutMs()).get().forEach((tp, o) -> {
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
        return offsetRows(
                group, desc, committed, TopicArgs.offsets(client, all, OffsetSpec.latest(), opts.timeoutMs()));
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
            GroupPrinter.sorted(m.assignment().topicPartitions())
                    .forEach(tp -> rows.add(row(group, tp, committed, ends, m.consumerId(), m.host(), m.clientId())));
        }
        GroupPrinter.sorted(committed.keySet().stream()
                        .filter(tp -> !assigned.contains(tp))
                        .toList())
                .forEach(tp -> rows.add(
                        row(group, tp, committed, ends, OffsetRow.MISSING, OffsetRow.MISSING, OffsetRow.MISSING)));
        return rows;
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
                        group,
                        tp.topic(),
                        tp.partition(),
                        c == null ? null : c.offset(),
                        ends.get(tp),
                        consumer,
                        host,
                        client)
                .withLeaderEpoch(c == null ? null : c.leaderEpoch().orElse(null));
    }

    void delete() throws Exception {
        List<String> ids = selectedGroups();
        var futures = client.deleteGroups(ids, opts.timeoutMs());
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
        Map<String, Map<TopicPartition, OffsetAndMetadata>> plan =
                new OffsetResetter(client, opts, out, clock).reset(selectedGroups());
        if (opts.has("export")) {
            out.println(OffsetResetter.csv(plan, opts.values("group").size() != 1));
        } else {
            out.print(GroupPrinter.resetPlan(plan));
        }
    }

    /** {@code --delete-offsets}: Kafka's one-line outcome, then a {@code TOPIC PARTITION STATUS} table. */
    void deleteOffsets() throws Exception {
        String group = opts.value("group");
        var status = new HashMap<TopicPartition, Throwable>();
        var partitions = new HashSet<TopicPartition>();
        var whole = new ArrayList<String>();
        for (String arg : opts.values("topic")) {
            if (TopicArgs.hasPartitions(arg)) {
                partitions.addAll(TopicArgs.parsePartitions(arg));
            } else {
                whole.add(arg);
            }
        }
        if (!whole.isEmpty()) {
            for (var e : client.describeTopics(new HashSet<>(whole), opts.timeoutMs())
                    .entrySet()) {
                try {
                    e.getValue()
                            .get()
                            .partitions()
                            .forEach(p -> partitions.add(new TopicPartition(e.getKey(), p.partition())));
                } catch (ExecutionException ex) {
                    status.put(new TopicPartition(e.getKey(), -1), ex);
                }
            }
        }
        GroupClient.DeletedOffsets result = client.deleteOffsets(group, partitions, opts.timeoutMs());
        Throwable topLevel = null;
        try {
            result.all().get();
        } catch (ExecutionException e) {
            topLevel = e.getCause();
        }
        for (TopicPartition tp : partitions) {
            try {
                result.partitions().get(tp).get();
                status.put(tp, null);
            } catch (ExecutionException e) {
                status.put(tp, e);
            }
        }
        out.print(GroupPrinter.deletedOffsets(group, topLevel, status));
    }
}
