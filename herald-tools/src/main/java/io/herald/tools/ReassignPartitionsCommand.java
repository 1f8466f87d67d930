package io.herald.tools;

import io.herald.tools.reassign.ReassignmentJson;
import io.herald.tools.reassign.Throttles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@code kafka-reassign-partitions.sh}: {@code --generate} a plan, {@code --execute} it (optionally throttled),
 * {@code --verify} or {@code --cancel} it, and {@code --list} ongoing reassignments, with Kafka's output.
 */
public final class ReassignPartitionsCommand {
    private static final OptionParser OPTIONS = new OptionParser()
            .arg("bootstrap-server", "Server(s) to use for bootstrapping", "The Kafka server(s) to connect to.")
            .arg("bootstrap-controller", "Controller(s) to use for bootstrapping", "The controller(s) to connect to.")
            .commandConfig("Admin client property file")
            .flag("generate", "Propose a reassignment of --topics-to-move-json-file onto --broker-list.")
            .flag("execute", "Start the reassignment in --reassignment-json-file.")
            .flag("verify", "Check the status of the reassignment in --reassignment-json-file.")
            .flag("cancel", "Cancel the reassignment in --reassignment-json-file.")
            .flag("list", "List the ongoing reassignments.")
            .arg("reassignment-json-file", "manual assignment json file path", "The reassignment JSON file.")
            .arg(
                    "topics-to-move-json-file",
                    "topics to reassign json file path",
                    "JSON {\"topics\": [{\"topic\": \"foo\"}], \"version\": 1} of the topics to move.")
            .arg("broker-list", "brokerlist", "The brokers to reassign to, \"0,1,2\".")
            .flag("disable-rack-aware", "Ignore racks when generating (racks are not used in any case).")
            .arg("throttle", "throttle", "With --execute: the inter-broker replication throttle in B/s.")
            .arg(
                    "replica-alter-log-dirs-throttle",
                    "replicaAlterLogDirsThrottle",
                    "With --execute: the log directory move throttle in B/s (moves are not supported).")
            .arg("timeout", "timeout", "With --execute/--cancel: the log directory move timeout in ms.")
            .flag("additional", "With --execute: allow a reassignment while others are ongoing.")
            .flag("preserve-throttles", "With --verify/--cancel: keep the throttles.")
            .helpAndVersion();

    /** The actions, in the order Kafka names them, with the options each requires and the others it accepts. */
    private enum Action {
        GENERATE(List.of("topics-to-move-json-file", "broker-list"), List.of("disable-rack-aware")),
        EXECUTE(
                List.of("reassignment-json-file"),
                List.of("additional", "throttle", "replica-alter-log-dirs-throttle", "timeout")),
        VERIFY(List.of("reassignment-json-file"), List.of("preserve-throttles")),
        CANCEL(List.of("reassignment-json-file"), List.of("preserve-throttles", "timeout")),
        LIST(List.of(), List.of());

        final List<String> required;
        final List<String> accepted;

        Action(List<String> required, List<String> accepted) {
            this.required = required;
            this.accepted = accepted;
        }

        String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ReassignPartitionsCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, ReassignPartitionsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        // Kafka prints the failures it expects on stdout as they are, any other as "Error: ...".
        AdminTool.Failures onStdout = AdminTool.Failures.onStdout("Error: ");
        return AdminTool.run(
                args, out, err, factory, ReassignPartitionsCommand::read, ReassignPartitionsCommand::act, (e, o, x) -> {
                    if (e instanceof CommandException) {
                        o.println(e.getMessage());
                        return 1;
                    }
                    return onStdout.report(e, o, x);
                });
    }

    private record Request(Action action, OptionParser.Parsed opts) {}

    private static AdminTool.Invocation<Request> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts = parse(args, out);
        Action action = Arrays.stream(Action.values())
                .filter(a -> opts.has(a.option()))
                .findFirst()
                .orElseThrow();
        var props = AdminTool.serverOrControllerConnection(opts, "command-config");
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "reassign-partitions-tool");
        return new AdminTool.Invocation<>(new Request(action, opts), props);
    }

    private static int act(Request request, Admin admin, PrintStream out) throws Exception {
        OptionParser.Parsed opts = request.opts();
        boolean keepThrottles = opts.has("preserve-throttles");
        switch (request.action()) {
            case GENERATE ->
                generate(admin, readFile(opts.value("topics-to-move-json-file")), opts.value("broker-list"), out);
            case EXECUTE -> execute(admin, opts, readFile(opts.value("reassignment-json-file")), out);
            case VERIFY -> verify(admin, readFile(opts.value("reassignment-json-file")), keepThrottles, out);
            case CANCEL -> cancel(admin, readFile(opts.value("reassignment-json-file")), keepThrottles, out);
            case LIST ->
                out.println(
                        list(admin.listPartitionReassignments().reassignments().get()));
        }
        return 0;
    }

    static OptionParser.Parsed parse(String[] args, PrintStream out) {
        OptionParser.Parsed opts = AdminTool.parse(OPTIONS, "Moves partition replicas between brokers.", args, out);
        List<Action> given =
                Arrays.stream(Action.values()).filter(a -> opts.has(a.option())).toList();
        if (given.size() != 1) {
            throw new CommandException("Command must include exactly one action: --"
                    + Arrays.stream(Action.values()).map(Action::option).collect(Collectors.joining(", --")));
        }
        Action action = given.getFirst();
        if (opts.has("bootstrap-server") == opts.has("bootstrap-controller")) {
            throw new CommandException(
                    opts.has("bootstrap-server")
                            ? "Please don't specify both --bootstrap-server and --bootstrap-controller"
                            : "Please specify either --bootstrap-server or --bootstrap-controller");
        }
        action.required.forEach(opts::require);
        var allowed = new HashSet<String>(action.required);
        allowed.addAll(action.accepted);
        allowed.addAll(List.of(action.option(), "command-config", "bootstrap-server", "bootstrap-controller"));
        for (String name : opts.names()) {
            if (!allowed.contains(name)) {
                throw new CommandException(
                        "Option \"[" + name + "]\" can't be used with action \"[" + action.option() + "]\"");
            }
        }
        if (opts.has("bootstrap-controller") && action != Action.CANCEL) {
            throw new CommandException("The --bootstrap-controller option is not supported with these action.");
        }
        return opts;
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new CommandException("Error: Unable to read " + file + ": " + e.getMessage());
        }
    }

    static void generate(Admin admin, String topicsJson, String brokerList, PrintStream out) throws Exception {
        var brokers = new ArrayList<Integer>();
        try {
            for (String b : brokerList.split(",")) {
                brokers.add(Integer.parseInt(b.trim()));
            }
        } catch (NumberFormatException e) {
            throw new CommandException("Error: invalid broker list " + brokerList);
        }
        var dups = new TreeSet<>(Repeated.in(brokers));
        if (!dups.isEmpty()) {
            throw new CommandException("Broker list contains duplicate entries: " + dups);
        }
        List<String> topics = ReassignmentJson.parseTopics(topicsJson);
        Map<TopicPartition, List<Integer>> current = assignments(admin, new LinkedHashSet<>(topics));
        Set<Integer> live = liveBrokers(admin);
        List<Integer> usable = brokers.stream().filter(live::contains).sorted().toList();
        Map<TopicPartition, List<Integer>> proposed =
                propose(current, usable, ThreadLocalRandom.current().nextInt(Math.max(1, usable.size())));
        out.printf("Current partition replica assignment%n%s%n%n", ReassignmentJson.format(current));
        out.printf("Proposed partition reassignment configuration%n%s%n", ReassignmentJson.format(proposed));
    }

    /**
     * Spreads each topic's partitions over {@code brokers} round-robin from {@code start}, keeping each topic's
     * replication factor.
     */
    static Map<TopicPartition, List<Integer>> propose(
            Map<TopicPartition, List<Integer>> current, List<Integer> brokers, int start) {
        var result = new HashMap<TopicPartition, List<Integer>>();
        for (var e : current.entrySet()) {
            int rf = e.getValue().size();
            if (rf > brokers.size()) {
                throw new CommandException(
                        "Error: Replication factor: " + rf + " larger than available brokers: " + brokers.size() + ".");
            }
            var replicas = new ArrayList<Integer>();
            for (int j = 0; j < rf; j++) {
                replicas.add(brokers.get((start + e.getKey().partition() + j) % brokers.size()));
            }
            result.put(e.getKey(), replicas);
        }
        return result;
    }

    /** The replica lists of every partition of {@code topics}. */
    private static Map<TopicPartition, List<Integer>> assignments(Admin admin, Set<String> topics) throws Exception {
        var result = new HashMap<TopicPartition, List<Integer>>();
        for (var e : admin.describeTopics(topics).topicNameValues().entrySet()) {
            TopicDescription d;
            try {
                d = e.getValue().get();
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new ExecutionException(
                            new UnknownTopicOrPartitionException("Topic " + e.getKey() + " not found."));
                }
                throw ex;
            }
            d.partitions()
                    .forEach(p -> result.put(
                            new TopicPartition(e.getKey(), p.partition()),
                            p.replicas().stream().map(Node::id).toList()));
        }
        return result;
    }

    static void execute(Admin admin, OptionParser.Parsed opts, String json, PrintStream out) throws Exception {
        Map<TopicPartition, List<Integer>> proposed = ReassignmentJson.validate(ReassignmentJson.parsePartitions(json));
        Map<TopicPartition, PartitionReassignment> ongoing =
                admin.listPartitionReassignments().reassignments().get();
        if (!opts.has("additional") && !ongoing.isEmpty()) {
            throw new CommandException("Cannot execute because there is an existing partition assignment.  Use"
                    + " --additional to override this and create a new partition assignment in addition to the"
                    + " existing one. The --additional flag can also be used to change the throttle by resubmitting"
                    + " the current reassignment.");
        }
        Set<Integer> live = liveBrokers(admin);
        proposed.values().stream()
                .flatMap(List::stream)
                .filter(b -> !live.contains(b))
                .findFirst()
                .ifPresent(b -> {
                    throw new CommandException("Error: Unknown broker id " + b);
                });
        Map<TopicPartition, List<Integer>> current = currentReplicas(admin, proposed.keySet());
        out.printf(
                "Current partition replica assignment%n%n%s%n%nSave this to use as the --reassignment-json-file option"
                        + " during rollback%n",
                ReassignmentJson.format(current));
        Long throttle = opts.longValue("throttle");
        Long dirThrottle = opts.longValue("replica-alter-log-dirs-throttle");
        boolean throttled = throttle != null && throttle >= 0;
        if (throttled || (dirThrottle != null && dirThrottle >= 0)) {
            out.println("Warning: You must run --verify periodically, until the reassignment completes, to ensure the"
                    + " throttle is removed.");
        }
        if (throttled) {
            admin.incrementalAlterConfigs(Throttles.set(proposed, current, throttle))
                    .all()
                    .get();
            out.println("The inter-broker throttle limit was set to " + throttle + " B/s");
        }
        var request = new HashMap<TopicPartition, Optional<NewPartitionReassignment>>();
        proposed.forEach((tp, replicas) -> request.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
        SortedMap<TopicPartition, Throwable> errors = submit(admin, request);
        if (!errors.isEmpty()) {
            throw new CommandException("Error reassigning partition(s):" + lines(errors));
        }
        out.printf(
                "Successfully started partition reassignment%s for %s%n",
                proposed.size() == 1 ? "" : "s", sorted(proposed.keySet()));
    }

    /** Sends the reassignments (an empty target cancels one) and returns the failures by partition. */
    private static SortedMap<TopicPartition, Throwable> submit(
            Admin admin, Map<TopicPartition, Optional<NewPartitionReassignment>> request) throws InterruptedException {
        var errors = new TreeMap<TopicPartition, Throwable>(ReassignmentJson.ORDER);
        for (var e : admin.alterPartitionReassignments(request).values().entrySet()) {
            try {
                e.getValue().get();
            } catch (ExecutionException ex) {
                errors.put(e.getKey(), ex.getCause());
            }
        }
        return errors;
    }

    /** One {@code topic-partition: message} line per failure, each led by a line break. */
    private static String lines(SortedMap<TopicPartition, Throwable> errors) {
        return errors.entrySet().stream()
                .map(e -> System.lineSeparator() + e.getKey() + ": "
                        + e.getValue().getMessage())
                .collect(Collectors.joining());
    }

    private static Set<Integer> liveBrokers(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get().stream().map(Node::id).collect(Collectors.toSet());
    }

    /** The replicas of each of {@code partitions} now; any unknown partition fails the whole lookup. */
    private static Map<TopicPartition, List<Integer>> currentReplicas(Admin admin, Set<TopicPartition> partitions)
            throws Exception {
        Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        Map<TopicPartition, List<Integer>> all = assignments(admin, topics);
        String missing = partitions.stream()
                .filter(tp -> !all.containsKey(tp))
                .sorted(ReassignmentJson.ORDER)
                .map(TopicPartition::toString)
                .collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            throw new ExecutionException(new UnknownTopicOrPartitionException("Unable to find partition: " + missing));
        }
        var current = new HashMap<TopicPartition, List<Integer>>();
        partitions.forEach(tp -> current.put(tp, all.get(tp)));
        return current;
    }

    private static String sorted(Collection<TopicPartition> tps) {
        return tps.stream()
                .sorted(ReassignmentJson.ORDER)
                .map(TopicPartition::toString)
                .collect(Collectors.joining(","));
    }

    static void verify(Admin admin, String json, boolean preserveThrottles, PrintStream out) throws Exception {
        var targets = ReassignmentJson.parsePartitions(json);
        Map<TopicPartition, PartitionReassignment> ongoing =
                admin.listPartitionReassignments().reassignments().get();
        Set<String> topics = targets.stream()
                .map(e -> e.getKey())
                .filter(tp -> !ongoing.containsKey(tp))
                .map(TopicPartition::topic)
                .collect(Collectors.toSet());
        var futures = admin.describeTopics(topics).topicNameValues();
        var lines = new ArrayList<String>();
        lines.add("Status of partition reassignment:");
        var sortedTargets = new ArrayList<>(targets);
        sortedTargets.sort(Map.Entry.comparingByKey(ReassignmentJson.ORDER));
        for (var e : sortedTargets) {
            TopicPartition tp = e.getKey();
            if (ongoing.containsKey(tp)) {
                lines.add("Reassignment of partition " + tp + " is still in progress.");
                continue;
            }
            List<Integer> currentReplicas;
            try {
                var d = futures.get(tp.topic()).get();
                currentReplicas = d.partitions().size() <= tp.partition()
                        ? List.of()
                        : d.partitions().get(tp.partition()).replicas().stream()
                                .map(Node::id)
                                .toList();
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw ex;
                }
                currentReplicas = List.of();
            }
            if (currentReplicas.equals(e.getValue())) {
                lines.add("Reassignment of partition " + tp + " is completed.");
            } else {
                lines.add("There is no active reassignment of partition " + tp + ", but replica set is "
                        + join(currentReplicas) + " rather than " + join(e.getValue()) + ".");
            }
        }
        out.println(String.join(System.lineSeparator(), lines));
        // Kafka prints the (empty) log directory move summary as an empty line.
        out.println();
        if (ongoing.isEmpty() && !preserveThrottles) {
            clearThrottles(admin, targets, out);
        }
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static void clearThrottles(
            Admin admin, List<Map.Entry<TopicPartition, List<Integer>>> targets, PrintStream out) throws Exception {
        var brokers = new TreeSet<Integer>();
        admin.describeCluster().nodes().get().forEach(n -> brokers.add(n.id()));
        targets.forEach(t -> brokers.addAll(t.getValue()));
        out.printf(
                "Clearing broker-level throttles on broker%s %s%n",
                brokers.size() == 1 ? "" : "s",
                brokers.stream().map(String::valueOf).collect(Collectors.joining(",")));
        admin.incrementalAlterConfigs(Throttles.clear(
                        ConfigResource.Type.BROKER,
                        brokers.stream().map(String::valueOf).toList(),
                        Throttles.BROKER_CONFIGS))
                .all()
                .get();
        var topics = targets.stream().map(t -> t.getKey().topic()).collect(Collectors.toCollection(TreeSet::new));
        out.printf(
                "Clearing topic-level throttles on topic%s %s%n",
                topics.size() == 1 ? "" : "s", String.join(",", topics));
        admin.incrementalAlterConfigs(Throttles.clear(ConfigResource.Type.TOPIC, topics, Throttles.TOPIC_CONFIGS))
                .all()
                .get();
    }

    static void cancel(Admin admin, String json, boolean preserveThrottles, PrintStream out) throws Exception {
        var targets = ReassignmentJson.parsePartitions(json);
        Set<TopicPartition> parts = targets.stream().map(Map.Entry::getKey).collect(Collectors.toSet());
        var active = new HashSet<TopicPartition>();
        admin.listPartitionReassignments(parts).reassignments().get().forEach((tp, r) -> {
            if (r.addingReplicas().isEmpty() || !r.removingReplicas().isEmpty()) {
                active.add(tp);
            }
        });
        if (active.isEmpty()) {
            out.println("None of the specified partition reassignments are active.");
        } else {
            var request = new HashMap<TopicPartition, Optional<NewPartitionReassignment>>();
            active.forEach(tp -> request.put(tp, Optional.empty()));
            SortedMap<TopicPartition, Throwable> errors = submit(admin, request);
            if (!errors.isEmpty()) {
                throw new CommandException("Error cancelling partition reassignment" + (errors.size() == 1 ? "" : "s")
                        + " for:" + lines(errors));
            }
            out.printf(
                    "Successfully cancelled partition reassignment%s for: %s%n",
                    active.size() == 1 ? "" : "s", sorted(active));
        }
        // Kafka prints this without a line break, so the next message follows on the same line.
        out.print("None of the specified partition moves are active.");
        if (!preserveThrottles) {
            clearThrottles(admin, targets, out);
        }
    }

    /** {@code --list}: each ongoing reassignment with its replicas, adding and removing sets. */
    static String list(Map<TopicPartition, PartitionReassignment> reassignments) {
        String text = reassignments.keySet().stream()
                .sorted(ReassignmentJson.ORDER)
                .map(tp -> {
                    PartitionReassignment r = reassignments.get(tp);
                    return tp + ": replicas: " + join(r.replicas()) + "."
                            + (r.addingReplicas().isEmpty() ? "" : " adding: " + join(r.addingReplicas()) + ".")
                            + (r.removingReplicas().isEmpty() ? "" : " removing: " + join(r.removingReplicas()) + ".");
                })
                .collect(Collectors.joining(System.lineSeparator()));
        return text.isEmpty()
                ? "No partition reassignments found."
                : "Current partition reassignments:" + System.lineSeparator() + text;
    }
}
