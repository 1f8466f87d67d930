package io.herald.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * {@code kafka-leader-election.sh}: runs a preferred or unclean leader election for one partition, a JSON list of
 * partitions, or all eligible partitions, and reports successes, no-ops and failures as Kafka does.
 */
public final class LeaderElectionCommand {
    private static final List<String> SCOPES = List.of("topic", "all-topic-partitions", "path-to-json-file");
    private static final OptionParser OPTIONS = new OptionParser()
            .arg("bootstrap-server", "host:port", "REQUIRED: The broker(s) to connect to.")
            .commandConfig("Config file")
            .arg("admin.config", "config file", "Deprecated name of --command-config.")
            .arg(
                    "path-to-json-file",
                    "Path to JSON file",
                    "JSON list of partitions: {\"partitions\": [{\"topic\": \"foo\", \"partition\": 1}]}.")
            .arg("topic", "topic name", "The topic of the partition to elect a leader for.")
            .arg("partition", "partition id", "The partition to elect a leader for (with --topic).")
            .flag("all-topic-partitions", "Elect leaders for all eligible partitions.")
            .arg("election-type", "election type", "REQUIRED: preferred or unclean.")
            .helpAndVersion();

    private LeaderElectionCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, LeaderElectionCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return AdminTool.run(args, out, err, factory, LeaderElectionCommand::read, LeaderElectionCommand::elect);
    }

    /** The election to run; null partitions stands for every eligible partition. */
    private record Election(ElectionType type, Set<TopicPartition> partitions) {}

    private static AdminTool.Invocation<Election> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts = AdminTool.parse(
                OPTIONS, "Runs preferred or unclean leader elections for chosen partitions.", args, out);
        List<String> missing = Stream.of("bootstrap-server", "election-type")
                .filter(o -> !opts.has(o))
                .toList();
        if (!missing.isEmpty()) {
            throw new CommandException("Missing required option(s): " + String.join(", ", missing));
        }
        opts.forbidWith("admin.config", Set.of("command-config"));
        if (SCOPES.stream().filter(opts::has).count() != 1) {
            throw new CommandException(
                    "One and only one of the following options is required: " + String.join(", ", SCOPES));
        }
        if (opts.has("topic") != opts.has("partition")) {
            throw new CommandException(
                    opts.has("topic")
                            ? "Missing required option(s): partition"
                            : "Option partition is only allowed if topic is used");
        }
        var election = new Election(electionType(opts.value("election-type")), partitions(opts));
        if (opts.has("admin.config")) {
            out.println("Option --admin.config has been deprecated and will be removed in a future version. Use"
                    + " --command-config instead.");
        }
        String config = opts.has("admin.config") ? opts.value("admin.config") : opts.value("command-config");
        var props = AdminFactory.adminProps(
                config, AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, opts.value("bootstrap-server"));
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        return new AdminTool.Invocation<>(election, props);
    }

    private static ElectionType electionType(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "preferred" -> ElectionType.PREFERRED;
            case "unclean" -> ElectionType.UNCLEAN;
            default ->
                throw new CommandException(
                        "Invalid election type: " + name + ". Possible values are \"preferred\" and \"unclean\".");
        };
    }

    private static Set<TopicPartition> partitions(OptionParser.Parsed opts) {
        if (opts.has("path-to-json-file")) {
            return parseElectionFile(readFile(opts.value("path-to-json-file")));
        }
        return opts.has("topic") ? Set.of(new TopicPartition(opts.value("topic"), opts.intValue("partition"))) : null;
    }

    private static int elect(Election election, Admin admin, PrintStream out) throws Exception {
        Map<TopicPartition, Optional<Throwable>> results;
        try {
            results = admin.electLeaders(election.type(), election.partitions())
                    .partitions()
                    .get();
        } catch (ExecutionException e) {
            String refusal =
                    switch (e.getCause()) {
                        case TimeoutException t -> "Timeout waiting for election results";
                        case ClusterAuthorizationException c -> "Not authorized to perform leader election";
                        case null, default -> throw e;
                    };
            out.println(refusal);
            throw new CommandException(refusal);
        }
        int failed = report(election.type(), results, out);
        if (failed > 0) {
            throw new CommandException(failed + " replica(s) could not be elected");
        }
        return 0;
    }

    private static String readFile(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new CommandException("Unable to read " + path + ": " + e.getMessage());
        }
    }

    /** Prints the outcome lines and returns how many partitions failed. */
    static int report(ElectionType type, Map<TopicPartition, Optional<Throwable>> results, PrintStream out) {
        Comparator<TopicPartition> order =
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);
        var succeeded = new ArrayList<TopicPartition>();
        var noop = new ArrayList<TopicPartition>();
        var failed = new java.util.TreeMap<TopicPartition, Throwable>(order);
        results.forEach((tp, error) -> {
            if (error.isEmpty()) {
                succeeded.add(tp);
            } else if (error.get() instanceof ElectionNotNeededException) {
                noop.add(tp);
            } else {
                failed.put(tp, error.get());
            }
        });
        succeeded.sort(order);
        noop.sort(order);
        if (!succeeded.isEmpty()) {
            out.println("Successfully completed leader election (" + type + ") for partitions " + join(succeeded));
        }
        if (!noop.isEmpty()) {
            out.println("Valid replica already elected for partitions " + join(noop));
        }
        failed.forEach((tp, e) ->
                out.println("Error completing leader election (" + type + ") for partition: " + tp + ": " + e));
        return failed.size();
    }

    private static String join(List<TopicPartition> tps) {
        return tps.stream().map(TopicPartition::toString).collect(Collectors.joining(", "));
    }

    /** Reads {@code {"partitions": [{"topic": "foo", "partition": 1}, …]}}, rejecting duplicates. */
    static Set<TopicPartition> parseElectionFile(String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new CommandException("Replica election data is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("partitions") instanceof List<?> list)) {
            throw new CommandException("Replica election data is missing \"partitions\" field");
        }
        var result = new LinkedHashSet<TopicPartition>();
        var duplicates = new LinkedHashSet<TopicPartition>();
        for (Object p : list) {
            if (!(p instanceof Map<?, ?> entry)
                    || !(entry.get("topic") instanceof String topic)
                    || !(entry.get("partition") instanceof Long partition)) {
                throw new CommandException("Each partition needs \"topic\" and \"partition\": " + Json.write(p));
            }
            var tp = new TopicPartition(topic, partition.intValue());
            if (!result.add(tp)) {
                duplicates.add(tp);
            }
        }
        if (!duplicates.isEmpty()) {
            throw new CommandException("Replica election data contains duplicate partitions: " + duplicates);
        }
        return result;
    }
}
