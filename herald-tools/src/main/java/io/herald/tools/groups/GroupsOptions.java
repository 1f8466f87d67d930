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
                .arg("bootstrap-server", "server to connect to", "REQUIRED: The server(s) to connect to.")
                .arg("command-config", "command config property file", "Admin client settings file.")
                .flag("list", "List all consumer groups.")
                .flag("describe", "Describe consumer group(s) and list their offsets and lag.")
                .flag("delete", "Delete consumer group(s).")
                .flag("reset-offsets", "Reset the offsets of consumer group(s); a dry run unless --execute.")
                .flag(
                        "delete-offsets",
                        "Delete offsets of consumer group. Supports one consumer group at the time, and multiple"
                                + " topics.")
                .arg("validate-regex", "regex", "Check that a regular expression is valid.")
                .arg("group", "consumer group", "The consumer group (repeatable).")
                .flag("all-groups", "Apply to all consumer groups.")
                .arg(
                        "topic",
                        "topic",
                        "The topic whose offsets to delete or reset; partitions as topic1:0,1,2 (repeatable).")
                .flag("all-topics", "With --reset-offsets: every topic the group has offsets for.")
                .flag("members", "With --describe: list the members.")
                .flag("offsets", "With --describe: list offsets and lag (the default).")
                .arg("state", "String", "With --describe: the group state; with --list: only groups in these states.")
                .arg("type", "String", "With --list: show group types, optionally only these (classic,consumer).")
                .flag("verbose", "More detail where available.")
                .arg("timeout", "Long: timeout (ms)", "Timeout for group operations (default: 5000).")
                .flag("dry-run", "Only show the result of --reset-offsets.")
                .flag("execute", "Apply --reset-offsets.")
                .flag("export", "Export operation execution to a CSV file. Supported operations: reset-offsets.")
                .arg("from-file", "path to CSV file", "Reset offsets to values defined in CSV file.")
                .arg(
                        "to-datetime",
                        "datetime",
                        "Reset offsets to offset from datetime. Format: 'YYYY-MM-DDTHH:mm:SS.sss'")
                .arg(
                        "by-duration",
                        "duration",
                        "Reset offsets to offset by duration from current timestamp. Format: 'PnDTnHnMnS'")
                .arg("to-offset", "Long: offset", "Reset to this offset.")
                .flag("to-earliest", "Reset to the earliest offset.")
                .flag("to-latest", "Reset to the latest offset.")
                .flag("to-current", "Reset to the current offset.")
                .arg("shift-by", "Long: number-of-offsets", "Move the current offset by this many (may be negative).")
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
            err.println("WARN: No action will be performed as the --execute option is missing.In a future major"
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
