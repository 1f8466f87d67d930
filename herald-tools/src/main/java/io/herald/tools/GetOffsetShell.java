package io.herald.tools;

import io.herald.tools.topics.TopicFilter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code kafka-get-offsets.sh}: prints {@code topic:partition:offset} for the partitions selected by {@code --topic}
 * (a regex) and {@code --partitions}, or by {@code --topic-partitions} patterns, at the {@code --time} given.
 */
public final class GetOffsetShell {
    /** One {@code --topic-partitions} rule: optional topic regex, then {@code :N}, {@code :N-M}, {@code :N-}, {@code :-M}. */
    private static final Pattern RULE = Pattern.compile("([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?");

    private GetOffsetShell() {}

    /** A selection of partitions. */
    private record Selector(TopicFilter topics, IntPredicate partitions) {}

    public static void main(String[] args) {
        ToolRunner.main(args, GetOffsetShell::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        try {
            return execute(args, out, err, factory);
        } catch (HelpException e) {
            return e.report(err);
        } catch (ExecutionException e) {
            err.println("Error occurred: " + ToolRunner.message(e.getCause() == null ? e : e.getCause()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (LinkageError e) {
            err.println(e.toString());
            return 1;
        } catch (Exception e) {
            err.println("Error occurred: " + ToolRunner.message(e));
            return 1;
        }
    }

    static OptionParser parser() {
        return new OptionParser()
                .arg("bootstrap-server", "HOST1:PORT1,...,HOST3:PORT3", "REQUIRED. The Kafka server(s) to connect to.")
                .arg(
                        "topic-partitions",
                        "topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3",
                        "Topic-partition patterns: an optional topic regex, then ':' and a partition, a range N-M"
                                + " (upper bound exclusive), N- or -M.")
                .arg("topic", "topic", "A topic regex (default: all topics).")
                .arg("partitions", "partition ids", "Comma separated partition ids (default: all).")
                .arg(
                        "time",
                        "<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or"
                                + " earliest-local / -5 or latest-tiered",
                        "Which offset to fetch (default: latest).")
                .arg("command-config", "config file", "Admin client settings file.")
                .flag("exclude-internal-topics", "Leave out internal topics.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
    }

    static int execute(String[] args, PrintStream out, PrintStream err, AdminFactory factory) throws Exception {
        OptionParser parser = parser();
        OptionParser.Parsed opts = parser.parse(args);
        parser.printHelpOrVersion(args, opts, "Prints partition offsets: latest, earliest, or for a timestamp.", out);
        opts.require("bootstrap-server");
        if (opts.has("topic-partitions") && (opts.has("topic") || opts.has("partitions"))) {
            throw new CommandException("--topic-partitions cannot be used with --topic or --partitions");
        }
        OffsetSpec spec = parseTime(opts.value("time", "latest"));
        List<Selector> selectors = opts.has("topic-partitions")
                ? parseRules(opts.value("topic-partitions"))
                : List.of(new Selector(
                        new TopicFilter(opts.value("topic", ".*")), partitionSet(opts.value("partitions"))));
        boolean excludeInternal = opts.has("exclude-internal-topics");
        var props = AdminFactory.adminProps(
                opts.value("command-config"),
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                opts.value("bootstrap-server"));
        props.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "GetOffsetShell");
        try (Admin admin = factory.create(props)) {
            List<TopicPartition> partitions = select(admin, selectors, excludeInternal);
            if (partitions.isEmpty()) {
                throw new CommandException("Could not match any topic-partitions with the specified filters");
            }
            var request = new HashMap<TopicPartition, OffsetSpec>();
            partitions.forEach(tp -> request.put(tp, spec));
            var result = admin.listOffsets(request);
            // Kafka orders the output by the text "topic-partition".
            var offsets = new TreeMap<TopicPartition, Long>(Comparator.comparing(TopicPartition::toString));
            for (TopicPartition tp : partitions) {
                ListOffsetsResultInfo info;
                try {
                    info = result.partitionResult(tp).get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof KafkaException)) {
                        throw e;
                    }
                    err.println("Skip getting offsets for topic-partition " + tp + " due to error: " + e.getMessage());
                    continue;
                }
                if (info.offset() != -1) {
                    offsets.put(tp, info.offset());
                }
            }
            offsets.forEach((tp, offset) -> out.println(tp.topic() + ":" + tp.partition() + ":" + offset));
        }
        return 0;
    }

    static OffsetSpec parseTime(String time) {
        switch (time) {
            case "latest", "-1" -> {
                return OffsetSpec.latest();
            }
            case "earliest", "-2" -> {
                return OffsetSpec.earliest();
            }
            case "max-timestamp", "-3" -> {
                return OffsetSpec.maxTimestamp();
            }
            case "earliest-local", "-4" -> {
                return OffsetSpec.earliestLocal();
            }
            case "latest-tiered", "-5" -> {
                return OffsetSpec.latestTiered();
            }
            default -> {
                try {
                    return OffsetSpec.forTimestamp(Long.parseLong(time));
                } catch (NumberFormatException e) {
                    throw new CommandException("Malformed time argument " + time + ". Please use -1 or latest / -2 or"
                            + " earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a"
                            + " specified long format timestamp");
                }
            }
        }
    }

    private static IntPredicate partitionSet(String ids) {
        if (ids == null || ids.isEmpty()) {
            return p -> true;
        }
        Set<Integer> set = new HashSet<>();
        try {
            for (String id : ids.split(",")) {
                set.add(Integer.parseInt(id));
            }
        } catch (NumberFormatException e) {
            throw new CommandException(
                    "--partitions expects a comma separated list of numeric partition ids, but received: " + ids);
        }
        return set::contains;
    }

    static List<Selector> parseRules(String spec) {
        var rules = new ArrayList<Selector>();
        for (String rule : spec.split(",")) {
            var m = RULE.matcher(rule);
            if (!m.matches()) {
                throw new CommandException("Invalid rule specification: " + rule);
            }
            String topic = emptyToNull(m.group(1));
            var filter = new TopicFilter(topic == null ? ".*" : topic);
            IntPredicate partitions;
            if (emptyToNull(m.group(2)) != null) {
                int only = Integer.parseInt(m.group(2));
                partitions = p -> p == only;
            } else {
                int lower = emptyToNull(m.group(3)) == null ? 0 : Integer.parseInt(m.group(3));
                int upper = emptyToNull(m.group(4)) == null ? Integer.MAX_VALUE : Integer.parseInt(m.group(4));
                partitions = p -> p >= lower && p < upper;
            }
            rules.add(new Selector(filter, partitions));
        }
        return rules;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<TopicPartition> select(Admin admin, List<Selector> selectors, boolean excludeInternal)
            throws Exception {
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternal))
                .names()
                .get();
        Set<String> matching = new HashSet<>();
        for (String t : topics) {
            if (selectors.stream().anyMatch(s -> s.topics().isTopicAllowed(t, excludeInternal))) {
                matching.add(t);
            }
        }
        var result = new ArrayList<TopicPartition>();
        if (matching.isEmpty()) {
            return result;
        }
        admin.describeTopics(matching).allTopicNames().get().forEach((topic, desc) -> desc.partitions()
                .forEach(p -> {
                    boolean allowed = selectors.stream()
                            .anyMatch(s -> s.topics().isTopicAllowed(topic, excludeInternal)
                                    && s.partitions().test(p.partition()));
                    if (allowed) {
                        result.add(new TopicPartition(topic, p.partition()));
                    }
                }));
        return result;
    }
}
