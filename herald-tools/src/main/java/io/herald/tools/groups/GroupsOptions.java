package io.herald.tools.groups;

import io.herald.tools.CommandException;
import io.herald.tools.OptionParser;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code kafka-consumer-groups.sh}'s options and Kafka's checks of their combinations. */
public final class GroupsOptions {
    static final List<String> ACTIONS =
            List.of("list", "describe", "delete", "reset-offsets", "delete-offsets", "validate-regex");
    static final List<String> SCENARIOS = List.of(
            "to-offset",
            "to-earliest",
            "to-latest",
            "to-current",
            "shift-by",
            "to-datetime",
            "by-duration",
            "from-file");
    /** Options whose argument may be left out ({@code --describe --state} vs {@code --list --state Stable}). */
    private static final Set<String> OPTIONAL_ARGS = Set.of("--state", "--type");

    private final OptionParser.Parsed opts;

    private GroupsOptions(OptionParser.Parsed opts) {
        this.opts = opts;
    }

    static OptionParser parser() {
        return new OptionParser()
                .arg("bootstrap-server", "String: server to connect to", "REQUIRED: The server(s) to connect to.")
                .arg("group", "String: consumer group", "The consumer group we wish to act on.")
                .arg(
                        "topic",
                        "String: topic",
                        "The topic whose consumer group information should be deleted or topic whose should be"
                                + " included in the reset offset process. In `reset-offsets` case, partitions can be"
                                + " specified using this format: `topic1:0,1,2`, where 0,1,2 are the partition to be"
                                + " included in the process. Reset-offsets also supports multiple topic inputs.")
                .flag("all-topics", "Consider all topics assigned to a group in the `reset-offsets` process.")
                .flag("list", "List all consumer groups.")
                .flag(
                        "describe",
                        "Describe consumer group and list offset lag (number of messages not yet processed) related"
                                + " to given group.")
                .flag("all-groups", "Apply to all consumer groups.")
                .flag(
                        "delete",
                        "Pass in groups to delete topic partition offsets and ownership information over the entire"
                                + " consumer group. For instance --group g1 --group g2")
                .arg(
                        "timeout",
                        "Long: timeout (ms)",
                        "The timeout that can be set for some use cases. For example, it can be used when describing"
                                + " the group to specify the maximum amount of time in milliseconds to wait before the"
                                + " group stabilizes (when the group is just created, or is going through some"
                                + " changes). (default: 5000)")
                .arg(
                        "command-config",
                        "String: command config property file",
                        "Property file containing configs to be passed to Admin Client and Consumer.")
                .flag(
                        "reset-offsets",
                        "Reset offsets of consumer group. Supports one consumer group at the time, and instances"
                                + " should be inactive. Has 2 execution options: --dry-run (the default) to plan which"
                                + " offsets to reset, and --execute to update the offsets. Additionally, the --export"
                                + " option is used to export the results to a CSV format. You must choose one of the"
                                + " following reset specifications: --to-datetime, --by-duration, --to-earliest,"
                                + " --to-latest, --shift-by, --from-file, --to-current, --to-offset. To define the"
                                + " scope use --all-topics or --topic. One scope must be specified unless you use"
                                + " '--from-file'.")
                .flag(
                        "delete-offsets",
                        "Delete offsets of consumer group. Supports one consumer group at the time, and multiple"
                                + " topics.")
                .flag(
                        "dry-run",
                        "Only show results without executing changes on Consumer Groups. Supported operations:"
                                + " reset-offsets.")
                .flag("execute", "Execute operation. Supported operations: reset-offsets.")
                .flag("export", "Export operation execution to a CSV file. Supported operations: reset-offsets.")
                .arg("to-offset", "Long: offset", "Reset offsets to a specific offset.")
                .arg("from-file", "String: path to CSV file", "Reset offsets to values defined in CSV file.")
                .arg(
                        "to-datetime",
                        "String: datetime",
                        "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'")
                .arg(
                        "by-duration",
                        "String: duration",
                        "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'")
                .flag("to-earliest", "Reset offsets to earliest offset.")
                .flag("to-latest", "Reset offsets to latest offset.")
                .flag("to-current", "Reset offsets to current offset.")
                .arg(
                        "shift-by",
                        "Long: number-of-offsets",
                        "Reset offsets shifting current offset by 'n', where 'n' can be positive or negative.")
                .flag(
                        "members",
                        "Describe members of the group. This option may be used with '--describe' and"
                                + " '--bootstrap-server' options only. Example: --bootstrap-server localhost:9092"
                                + " --describe --group group1 --members")
                .flag(
                        "verbose",
                        "Provide additional information, if any, when describing the group. This option may be used"
                                + " with '--offsets'/'--members'/'--state' and '--bootstrap-server' options only."
                                + " Example: --bootstrap-server localhost:9092 --describe --group group1 --members"
                                + " --verbose")
                .flag(
                        "offsets",
                        "Describe the group and list all topic partitions in the group along with their offset lag."
                                + " This is the default sub-action of and may be used with '--describe' and"
                                + " '--bootstrap-server' options only. Example: --bootstrap-server localhost:9092"
                                + " --describe --group group1 --offsets")
                .arg(
                        "state",
                        "String",
                        "When specified with '--describe', includes the state of the group. Example:"
                                + " --bootstrap-server localhost:9092 --describe --group group1 --state When"
                                + " specified with '--list', it displays the state of all groups. It can also be used"
                                + " to list groups with specific states. Example: --bootstrap-server localhost:9092"
                                + " --list --state stable,empty This option may be used with '--describe', '--list'"
                                + " and '--bootstrap-server' options only.")
                .arg(
                        "type",
                        "String",
                        "When specified with '--list', it displays the types of all the groups. It can also be used"
                                + " to list groups with specific types. Example: --bootstrap-server localhost:9092"
                                + " --list --type classic,consumer This option may be used with the '--list' option"
                                + " only.")
                .arg(
                        "validate-regex",
                        "String: regex",
                        "Validate that the syntax of the provided regular expression is"
                                + " valid according to the RE2 format.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
    }

    public static GroupsOptions parse(String[] args, PrintStream out, PrintStream err) {
        OptionParser parser = parser();
        var normalized = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            normalized.add(args[i]);
            if (OPTIONAL_ARGS.contains(args[i]) && (i + 1 == args.length || args[i + 1].startsWith("--"))) {
                normalized.add("");
            }
        }
        OptionParser.Parsed opts = parser.parse(normalized.toArray(String[]::new));
        parser.printHelpOrVersion(
                args,
                opts,
                "This tool helps to list all consumer groups, describe a consumer group, delete consumer group"
                        + " info, or reset consumer group offsets.",
                out);
        if (opts.has("validate-regex") && ACTIONS.stream().filter(opts::has).count() == 1) {
            return new GroupsOptions(opts);
        }
        opts.require("bootstrap-server");
        check(opts, err);
        if (ACTIONS.stream().filter(opts::has).count() != 1) {
            throw new CommandException("Command must include exactly one action: --" + String.join(", --", ACTIONS));
        }
        return new GroupsOptions(opts);
    }

    /** Kafka's checks of option combinations, in Kafka's order. */
    private static void check(OptionParser.Parsed opts, PrintStream err) {
        if (opts.has("describe")) {
            requireGroupScope(opts, "describe");
            if (Stream.of("members", "offsets", "state").filter(opts::has).count() > 1) {
                throw new CommandException(
                        "Option [describe] takes at most one of these options: [members], [offsets], [state]");
            }
            if (opts.has("state") && !opts.value("state").isEmpty()) {
                throw new CommandException("Option [describe] does not take a value for [state]");
            }
        }
        if (opts.has("delete")) {
            requireGroupScope(opts, "delete");
            if (opts.has("topic")) {
                throw new CommandException(
                        "The consumer does not support topic-specific offset deletion from a consumer group.");
            }
        }
        if (opts.has("delete-offsets") && (!opts.has("group") || !opts.has("topic"))) {
            throw new CommandException("Option [delete-offsets] takes the following options: [group], [topic]");
        }
        if (opts.has("reset-offsets")) {
            checkReset(opts, err);
        }
        opts.forbidWith("group", Set.of("all-groups", "list"));
        opts.forbidWith("topic", Set.of("list", "describe"));
    }

    private static void checkReset(OptionParser.Parsed opts, PrintStream err) {
        if (opts.has("dry-run") && opts.has("execute")) {
            throw new CommandException("Option [reset-offsets] only accepts one of [execute] and [dry-run]");
        }
        if (!opts.has("dry-run") && !opts.has("execute")) {
            // Kafka 4.x prints this warning without a space after "missing."
            err.println("WARN: No action will be performed as the --execute option is missing. In a future major"
                    + " release, the default behavior of this command will be to prompt the user before executing"
                    + " the reset rather than doing a dry run. You should add the --dry-run option explicitly if"
                    + " you are scripting this command and want to keep the current default behavior without"
                    + " prompting.");
        }
        requireGroupScope(opts, "reset-offsets");
        for (String scenario : SCENARIOS) {
            opts.forbidWith(
                    scenario,
                    SCENARIOS.stream().filter(s -> !s.equals(scenario)).collect(Collectors.toSet()));
        }
        if (SCENARIOS.stream().noneMatch(opts::has)) {
            throw new CommandException("Option [reset-offsets] requires one of the following scenarios: "
                    + SCENARIOS.stream().map(s -> "[" + s + "]").collect(Collectors.joining(", ")));
        }
        if (!opts.has("topic") && !opts.has("all-topics") && !opts.has("from-file")) {
            throw new CommandException("One of the reset scopes should be defined: --all-topics, --topic.");
        }
    }

    private static void requireGroupScope(OptionParser.Parsed opts, String action) {
        if (!opts.has("group") && !opts.has("all-groups")) {
            throw new CommandException("Option [" + action + "] takes one of these options: [all-groups], [group]");
        }
    }

    public boolean has(String name) {
        return opts.has(name);
    }

    public String value(String name) {
        return opts.value(name);
    }

    public List<String> values(String name) {
        return opts.values(name);
    }

    public int timeoutMs() {
        Integer t = opts.intValue("timeout");
        return t == null ? 5000 : t;
    }

    public Long longValue(String name) {
        return opts.longValue(name);
    }
}
