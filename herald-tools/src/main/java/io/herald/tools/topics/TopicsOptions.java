package io.herald.tools.topics;

import io.herald.tools.CommandException;
import io.herald.tools.OptionParser;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kafka-topics.sh}'s options and Kafka's validation of their combinations, with Kafka's messages. Violations
 * that Kafka reports plainly are {@link IllegalArgumentException}s; usage errors are {@link CommandException}s.
 */
public final class TopicsOptions {
    static final List<String> ACTIONS = List.of("create", "list", "alter", "describe", "delete");
    private static final Set<String> REPORTS = Set.of(
            "under-replicated-partitions",
            "unavailable-partitions",
            "under-min-isr-partitions",
            "at-min-isr-partitions");

    private final OptionParser.Parsed opts;

    private TopicsOptions(OptionParser.Parsed opts) {
        this.opts = opts;
    }

    static OptionParser parser() {
        return new OptionParser()
                .arg("bootstrap-server", "String: server to connect to", "REQUIRED: The broker(s) to connect to.")
                .arg("command-config", "String: command config property file", "Admin client settings file.")
                .flag("list", "Print the names of all topics.")
                .flag("create", "Create the topic.")
                .flag("delete", "Delete the matching topics.")
                .flag("alter", "Add partitions to a topic (optionally with their replica assignment).")
                .flag("describe", "Show the partitions, replicas and config overrides of topics.")
                .arg(
                        "topic",
                        "String: topic",
                        "The topic to create, alter, describe or delete; a regular expression"
                                + " (with ',' as 'or') except for --create.")
                .arg("topic-id", "String: topic-id", "The id of the topic to describe.")
                .arg("config", "String: name=value", "A topic configuration override for the created topic.")
                .arg("delete-config", "String: name", "Deprecated since 4.0 and unsupported; use kafka-configs.sh.")
                .arg("partitions", "Integer: # of partitions", "The number of partitions to create or grow to.")
                .arg(
                        "replication-factor",
                        "Integer: replication factor",
                        "The replication factor of each partition of the created topic.")
                .arg(
                        "replica-assignment",
                        "broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , ...",
                        "Manual partition-to-broker assignment for the topic being created or altered.")
                .flag("under-replicated-partitions", "When describing, only show under-replicated partitions.")
                .flag("unavailable-partitions", "When describing, only show partitions without an available leader.")
                .flag(
                        "under-min-isr-partitions",
                        "When describing, only show partitions with fewer ISRs than the" + " configured minimum.")
                .flag(
                        "at-min-isr-partitions",
                        "When describing, only show partitions with exactly the configured"
                                + " minimum number of ISRs.")
                .flag("topics-with-overrides", "When describing, only show topics with overridden configs.")
                .flag("if-exists", "When altering, deleting or describing, only act if the topic exists.")
                .flag("if-not-exists", "When creating, do not fail if the topic already exists.")
                .flag("exclude-internal", "Leave out internal topics when listing or describing.")
                .arg(
                        "partition-size-limit-per-response",
                        "Integer: maximum number of partitions per response",
                        "The maximum number of partitions in one DescribeTopicPartitions response.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
    }

    /**
     * Parses and validates {@code args}; prints help/version and throws {@link io.herald.tools.HelpException} when asked.
     */
    public static TopicsOptions parse(String[] args, PrintStream out, PrintStream err) {
        OptionParser parser = parser();
        if (args.length == 0) {
            throw new CommandException("Create, delete, describe, or change a topic.");
        }
        OptionParser.Parsed opts = parser.parse(args);
        parser.answerHelpOrVersion(opts, "Creates, lists, describes, alters and deletes topics.", out);
        long actions = ACTIONS.stream().filter(opts::has).count();
        if (actions != 1) {
            throw new CommandException(
                    "Command must include exactly one action: --list, --describe, --create, --alter or --delete");
        }
        if (opts.has("delete-config")) {
            err.println("delete-config option is no longer supported and deprecated since version 4.0. The config will"
                    + " be fully removed in future releases.");
        }
        var o = new TopicsOptions(opts);
        o.checkRequired(out);
        o.checkInvalid();
        return o;
    }

    private void checkRequired(PrintStream out) {
        if (!opts.has("bootstrap-server")) {
            throw new IllegalArgumentException("--bootstrap-server must be specified");
        }
        if (opts.has("describe") && opts.has("if-exists")) {
            if (!opts.has("topic") && !opts.has("topic-id")) {
                throw new CommandException("--topic or --topic-id is required to describe a topic");
            }
            if (opts.has("topic") && opts.has("topic-id")) {
                out.println("Only topic id will be used when both --topic and --topic-id are specified and topicId is"
                        + " not Uuid.ZERO_UUID");
            }
        }
        if (!opts.has("list") && !opts.has("describe")) {
            opts.require("topic");
        }
        if (opts.has("alter")) {
            if (opts.has("config")) {
                throw new CommandException("Option combination \"[[bootstrap-server], [config]]\" can't be used with"
                        + " option \"[alter]\" (To alter topic configurations, the kafka-configs tool can be used.)");
            }
            opts.require("partitions");
        }
    }

    private void checkInvalid() {
        opts.forbidWith("config", except("alter", "create"));
        opts.forbidWith("partitions", except("alter", "create"));
        opts.forbidWith("replication-factor", except("create"));
        opts.forbidWith("replica-assignment", except("alter", "create"));
        if (opts.has("create")) {
            opts.forbidWith("replica-assignment", Set.of("partitions", "replication-factor"));
        }
        for (String report : REPORTS) {
            var invalid = new java.util.HashSet<>(except("describe"));
            invalid.add("topics-with-overrides");
            opts.forbidWith(report, invalid);
        }
        var overridesInvalid = new java.util.HashSet<>(except("describe"));
        overridesInvalid.addAll(REPORTS);
        opts.forbidWith("topics-with-overrides", overridesInvalid);
        opts.forbidWith("if-exists", except("alter", "delete", "describe"));
        opts.forbidWith("if-not-exists", except("create"));
        opts.forbidWith("exclude-internal", except("list", "describe"));
    }

    /** All actions but the given ones. */
    private static Set<String> except(String... allowed) {
        var list = List.of(allowed);
        return Set.copyOf(ACTIONS.stream().filter(a -> !list.contains(a)).toList());
    }

    public String action() {
        return ACTIONS.stream().filter(opts::has).findFirst().orElseThrow();
    }

    public String bootstrapServer() {
        return opts.value("bootstrap-server");
    }

    public String commandConfig() {
        return opts.value("command-config");
    }

    public String topic() {
        return opts.value("topic");
    }

    public String topicId() {
        return opts.value("topic-id");
    }

    public Integer partitions() {
        return opts.intValue("partitions");
    }

    public Integer replicationFactor() {
        return opts.intValue("replication-factor");
    }

    public Integer partitionSizeLimitPerResponse() {
        return opts.intValue("partition-size-limit-per-response");
    }

    public boolean has(String name) {
        return opts.has(name);
    }

    /** The {@code --config k=v} pairs, with Kafka's message for a malformed one. */
    public Map<String, String> configs() {
        var result = new LinkedHashMap<String, String>();
        for (String c : opts.values("config")) {
            String[] kv = c.split("\\s*=\\s*");
            if (kv.length != 2) {
                throw new IllegalArgumentException("requirement failed: Invalid topic config: all configs to be added"
                        + " must be in the format \"key=val\".");
            }
            result.put(kv[0].trim(), kv[1].trim());
        }
        return result;
    }

    /** The {@code --replica-assignment} as partition to broker ids; empty when absent or empty. */
    public Map<Integer, List<Integer>> replicaAssignment() {
        String raw = opts.value("replica-assignment");
        return raw == null || raw.isEmpty() ? Map.of() : parseReplicaAssignment(raw);
    }

    static Map<Integer, List<Integer>> parseReplicaAssignment(String raw) {
        var result = new LinkedHashMap<Integer, List<Integer>>();
        String[] partitions = raw.split(",");
        for (int p = 0; p < partitions.length; p++) {
            var brokers = new ArrayList<Integer>();
            for (String b : partitions[p].split(":")) {
                try {
                    brokers.add(Integer.parseInt(b.trim()));
                } catch (NumberFormatException e) {
                    throw new CommandException("For input string: \"" + b.trim() + "\"");
                }
            }
            var dups = brokers.stream()
                    .filter(b -> brokers.indexOf(b) != brokers.lastIndexOf(b))
                    .distinct()
                    .map(String::valueOf)
                    .toList();
            if (!dups.isEmpty()) {
                throw new CommandException(
                        "Partition replica lists may not contain duplicate entries: " + String.join(",", dups));
            }
            result.put(p, List.copyOf(brokers));
            if (brokers.size() != result.get(0).size()) {
                throw new CommandException("Partition " + p + " has different replication factor: " + brokers);
            }
        }
        return result;
    }
}
