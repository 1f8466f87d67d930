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
                .arg("bootstrap-server", "String: server to connect to", "REQUIRED: The broker(s) to connect to.")
                .arg("group", "String: consumer group", "The group to act on (repeat --group for several).")
                .arg(
                        "topic",
                        "String: topic",
                        "A topic to delete offsets of, or to reset (repeatable); for a reset, `topic:0,1,2`"
                                + " limits it to those partitions.")
                .flag("all-topics", "Reset every topic the group has offsets for.")
                .flag("list", "List all consumer groups.")
                .flag("describe", "Show a group's partitions with offsets and lag.")
                .flag("all-groups", "Act on every consumer group.")
                .flag("delete", "Delete whole groups (offsets and membership), e.g. --group g1 --group g2.")
                .arg(
                        "timeout",
                        "Long: timeout (ms)",
                        "How long to wait, in ms, e.g. for a new or rebalancing group to settle when describing."
                                + " (default: 5000)")
                .arg(
                        "command-config",
                        "String: command config property file",
                        "Client settings file for the admin client and consumer.")
                .flag(
                        "reset-offsets",
                        "Move a group's committed offsets; one group at a time, with no active members. Pick one"
                                + " target (--to-datetime, --by-duration, --to-earliest, --to-latest, --shift-by,"
                                + " --from-file, --to-current, --to-offset) and, except with --from-file, a scope"
                                + " (--all-topics or --topic). Plans only (--dry-run, the default) unless --execute;"
                                + " --export prints the plan as CSV.")
                .flag("delete-offsets", "Delete a group's offsets for the given topics (one group at a time).")
                .flag("dry-run", "With --reset-offsets: print the plan without changing anything.")
                .flag("execute", "With --reset-offsets: apply the plan.")
                .flag("export", "With --reset-offsets: print the plan as CSV.")
                .arg("to-offset", "Long: offset", "Reset to this offset.")
                .arg("from-file", "String: path to CSV file", "Reset to the offsets listed in this CSV file.")
                .arg(
                        "to-datetime",
                        "String: datetime",
                        "Reset to the first offset at or after this time, 'YYYY-MM-DDTHH:mm:SS.sss'.")
                .arg(
                        "by-duration",
                        "String: duration",
                        "Reset to the first offset at or after now minus this ISO-8601 duration, 'PnDTnHnMnS'.")
                .flag("to-earliest", "Reset to the earliest offset.")
                .flag("to-latest", "Reset to the latest offset.")
                .flag("to-current", "Reset to the committed offset (keeps it).")
                .arg("shift-by", "Long: number-of-offsets", "Move the committed offset by n (negative moves back).")
                .flag("members", "With --describe: list the group's members, e.g. --describe --group g1 --members.")
                .flag("verbose", "With --describe --offsets/--members/--state: add detail where there is any.")
                .flag("offsets", "With --describe (its default): list partitions with committed offset and lag.")
                .arg(
                        "state",
                        "String",
                        "With --describe: show the group's state. With --list: show each group's state, or only"
                                + " groups in the given states, e.g. --list --state stable,empty.")
                .arg(
                        "type",
                        "String",
                        "With --list: show each group's type, or only groups of the given types, e.g. --list"
                                + " --type classic,consumer.")
                .arg("validate-regex", "String: regex", "Check that a regular expression is valid RE2 syntax.")
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
                args, opts, "List, describe and delete consumer groups, and reset or delete their offsets.", out);
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
