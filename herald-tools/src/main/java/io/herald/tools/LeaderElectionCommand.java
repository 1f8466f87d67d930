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
    private LeaderElectionCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, LeaderElectionCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return ToolRunner.run(err, () -> execute(args, out, factory));
    }

    static int execute(String[] args, PrintStream out, AdminFactory factory) throws Exception {
        OptionParser parser = new OptionParser()
                .arg("bootstrap-server", "host:port", "REQUIRED: the broker(s) to connect to.")
                .arg("command-config", "Config file", "Admin client settings file.")
                .arg("admin.config", "config file", "Deprecated name of --command-config.")
                .arg(
                        "path-to-json-file",
                        "Path to JSON file",
                        "JSON list of partitions:" + " {\"partitions\": [{\"topic\": \"foo\", \"partition\": 1}]}.")
                .arg("topic", "topic name", "The topic of the partition to elect a leader for.")
                .arg("partition", "partition id", "The partition to elect a leader for (with --topic).")
                .flag("all-topic-partitions", "Elect leaders for all eligible partitions.")
                .arg("election-type", "election type", "REQUIRED: preferred or unclean.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
        OptionParser.Parsed opts = parser.parse(args);
        parser.printHelpOrVersion(args, opts, "Runs preferred or unclean leader elections for chosen partitions.", out);
        var missing = new ArrayList<String>();
        if (!opts.has("bootstrap-server")) {
            missing.add("bootstrap-server");
        }
        if (!opts.has("election-type")) {
            missing.add("election-type");
        }
        if (!missing.isEmpty()) {
            throw new CommandException("Missing required option(s): " + String.join(", ", missing));
        }
        opts.forbidWith("admin.config", Set.of("command-config"));
        long scopes = List.of("topic", "all-topic-partitions", "path-to-json-file").stream()
                .filter(opts::has)
                .count();
        if (scopes != 1) {
            throw new CommandException("One and only one of the following options is required: topic,"
                    + " all-topic-partitions, path-to-json-file");
        }
        if (opts.has("topic") && !opts.has("partition")) {
            throw new CommandException("Missing required option(s): partition");
        }
        if (!opts.has("topic") && opts.has("partition")) {
            throw new CommandException("Option partition is only allowed if topic is used");
        }
        ElectionType type =
                switch (opts.value("election-type").toLowerCase(Locale.ROOT)) {
                    case "preferred" -> ElectionType.PREFERRED;
                    case "unclean" -> ElectionType.UNCLEAN;
                    default ->
                        throw new CommandException("Invalid election type: " + opts.value("election-type")
                                + ". Possible values are \"preferred\" and \"unclean\".");
                };
        Set<TopicPartition> partitions = null; // null: all eligible partitions
        if (opts.has("path-to-json-file")) {
            partitions = parseElectionFile(readFile(opts.value("path-to-json-file")));
        } else if (opts.has("topic")) {
            partitions = Set.of(new TopicPartition(opts.value("topic"), opts.intValue("partition")));
        }
        String config = opts.has("admin.config") ? opts.value("admin.config") : opts.value("command-config");
        if (opts.has("admin.config")) {
            out.println("Option --admin.config has been deprecated and will be removed in a future version. Use"
                    + " --command-config instead.");
        }
        var props = AdminFactory.adminProps(
                config, AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, opts.value("bootstrap-server"));
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        try (Admin admin = factory.create(props)) {
            Map<TopicPartition, Optional<Throwable>> results;
            try {
                results = admin.electLeaders(type, partitions).partitions().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TimeoutException) {
                    out.println("Timeout waiting for election results");
                    throw new CommandException("Timeout waiting for election results");
                }
                if (e.getCause() instanceof ClusterAuthorizationException) {
                    out.println("Not authorized to perform leader election");
                    throw new CommandException("Not authorized to perform leader election");
                }
                throw e;
            }
            int failed = report(type, results, out);
            if (failed > 0) {
                throw new CommandException(failed + " replica(s) could not be elected");
            }
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
