package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;

/**
 * {@code kafka-log-dirs.sh --describe}: asks brokers for their log directories and prints Kafka's JSON report. The
 * JSON objects use hash-map key order, which is what Kafka's output shows (e.g. {@code partitions, error, logDir}).
 */
public final class LogDirsCommand {
    private static final OptionParser OPTIONS = new OptionParser()
            .bootstrapServer("The server(s) to use for bootstrapping")
            .commandConfig("Admin client property file")
            .flag("describe", "Describe the log directories on the given brokers.")
            .arg("topic-list", "Topic list", "Topics to report, \"topic1,topic2\" (default: all).")
            .arg("broker-list", "Broker list", "Brokers to query, \"0,1,2\" (default: all).")
            .helpAndVersion();

    private LogDirsCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, LogDirsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return AdminTool.run(args, out, err, factory, LogDirsCommand::read, LogDirsCommand::describe);
    }

    /** The topics to report and the brokers asked for (either empty for all). */
    private record Query(Set<String> topics, Set<Integer> brokers) {}

    private static AdminTool.Invocation<Query> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts =
                AdminTool.parse(OPTIONS, "Reports the log directories of brokers and what they hold.", args, out);
        opts.require("bootstrap-server", "describe");
        Set<String> topics = split(opts.value("topic-list", "")).collect(Collectors.toSet());
        Set<Integer> brokers;
        try {
            brokers = split(opts.value("broker-list", ""))
                    .map(Integer::valueOf)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (NumberFormatException e) {
            throw new CommandException("Invalid broker list: " + opts.value("broker-list"));
        }
        var props = AdminTool.brokerConnection(opts);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "log-dirs-tool");
        return new AdminTool.Invocation<>(new Query(topics, brokers), props);
    }

    private static int describe(Query query, Admin admin, PrintStream out) throws Exception {
        Set<Integer> cluster = admin.describeCluster().nodes().get().stream()
                .map(Node::id)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Integer> missing = new TreeSet<>(query.brokers());
        missing.removeAll(cluster);
        if (!missing.isEmpty()) {
            throw new CommandException("ERROR: The given brokers do not exist from --broker-list: " + join(missing)
                    + ". Current existent brokers: " + join(cluster));
        }
        Set<Integer> brokers = new TreeSet<>(query.brokers().isEmpty() ? cluster : query.brokers());
        out.println("Querying brokers for log directories information");
        Map<Integer, Map<String, LogDirDescription>> described =
                admin.describeLogDirs(brokers).allDescriptions().get();
        out.println("Received log directory information from brokers " + join(brokers));
        out.println(Json.write(report(described, query.topics())));
        return 0;
    }

    private static java.util.stream.Stream<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty());
    }

    private static String join(Set<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The report as nested maps; HashMaps on purpose, to reproduce Kafka's key order. */
    static Map<String, Object> report(Map<Integer, Map<String, LogDirDescription>> described, Set<String> topics) {
        var brokers = new ArrayList<Object>();
        new java.util.TreeMap<>(described).forEach((broker, dirs) -> {
            var logDirs = new ArrayList<Object>();
            new java.util.TreeMap<>(dirs).forEach((dir, desc) -> {
                var partitions = new ArrayList<Object>();
                desc.replicaInfos().entrySet().stream()
                        .filter(e ->
                                topics.isEmpty() || topics.contains(e.getKey().topic()))
                        .sorted(Map.Entry.comparingByKey(
                                java.util.Comparator.comparing(org.apache.kafka.common.TopicPartition::topic)
                                        .thenComparingInt(org.apache.kafka.common.TopicPartition::partition)))
                        .forEach(e -> {
                            var p = new HashMap<String, Object>();
                            p.put("partition", e.getKey().toString());
                            p.put("size", e.getValue().size());
                            p.put("offsetLag", e.getValue().offsetLag());
                            p.put("isFuture", e.getValue().isFuture());
                            partitions.add(p);
                        });
                var d = new HashMap<String, Object>();
                d.put("logDir", dir);
                d.put(
                        "error",
                        desc.error() == null ? null : desc.error().getClass().getName());
                d.put("partitions", partitions);
                logDirs.add(d);
            });
            var b = new HashMap<String, Object>();
            b.put("broker", broker);
            b.put("logDirs", logDirs);
            brokers.add(b);
        });
        var root = new HashMap<String, Object>();
        root.put("version", 1);
        root.put("brokers", List.copyOf(brokers));
        return root;
    }
}
