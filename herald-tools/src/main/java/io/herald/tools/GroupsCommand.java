package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;

/**
 * {@code kafka-groups.sh --list}: every group of every type as a {@code GROUP TYPE PROTOCOL} table, optionally
 * filtered by {@code --group-type}, {@code --protocol}, {@code --consumer}, {@code --share} or {@code --streams}.
 */
public final class GroupsCommand {
    private static final OptionParser OPTIONS = new OptionParser()
            .bootstrapServer("server to connect to")
            .commandConfig("command config property file")
            .flag("list", "List the groups.")
            .arg("group-type", "type", "Only groups of this type: classic, consumer, share or streams.")
            .arg("protocol", "protocol", "Only groups with this protocol type.")
            .flag("consumer", "Only consumer groups: type consumer, or classic with protocol consumer.")
            .flag("share", "Only share groups.")
            .flag("streams", "Only streams groups.")
            .helpAndVersion();

    private GroupsCommand() {}

    /** The filters of the command line. */
    record Filter(
            Optional<GroupType> type, Optional<String> protocol, boolean consumer, boolean share, boolean streams) {
        boolean accepts(GroupListing g) {
            Optional<GroupType> t = g.type();
            if (type.isPresent()) {
                return t.filter(x -> x == type.get()).isPresent()
                        && protocol.map(p -> p.equals(g.protocol())).orElse(true);
            }
            if (protocol.isPresent()) {
                return protocol.get().equals(g.protocol());
            }
            if (consumer) {
                return g.protocol().equals("consumer")
                        || g.protocol().isEmpty()
                        || t.filter(x -> x == GroupType.CONSUMER).isPresent();
            }
            if (share) {
                return t.filter(x -> x == GroupType.SHARE).isPresent();
            }
            if (streams) {
                return t.filter(x -> x == GroupType.STREAMS).isPresent();
            }
            return true;
        }
    }

    public static void main(String[] args) {
        ToolRunner.main(args, GroupsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return AdminTool.run(
                args,
                out,
                err,
                factory,
                GroupsCommand::read,
                (filter, admin, o) -> {
                    o.print(table(admin.listGroups().all().get(30, TimeUnit.SECONDS), filter));
                    return 0;
                },
                AdminTool.Failures.onStdout("Error while executing groups command : "));
    }

    private static AdminTool.Invocation<Filter> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts = AdminTool.parse(OPTIONS, "Lists groups of every type.", args, out);
        opts.require("bootstrap-server");
        if (!opts.has("list")) {
            throw new CommandException("Command must include exactly one action: --list.");
        }
        Optional<GroupType> type = Optional.ofNullable(opts.value("group-type"))
                .map(GroupType::parse)
                .filter(t -> t != GroupType.UNKNOWN);
        if (opts.has("group-type") && type.isEmpty()) {
            throw new CommandException("--group-type must be a valid group type.");
        }
        opts.forbidWith("consumer", Set.of("group-type", "protocol", "share", "streams"));
        opts.forbidWith("share", Set.of("consumer", "group-type", "protocol", "streams"));
        opts.forbidWith("streams", Set.of("consumer", "group-type", "protocol", "share"));
        var filter = new Filter(
                type,
                Optional.ofNullable(opts.value("protocol")),
                opts.has("consumer"),
                opts.has("share"),
                opts.has("streams"));
        return new AdminTool.Invocation<>(filter, AdminTool.brokerConnection(opts));
    }

    /** The table: columns at least 20 wide (or the longest value); rows end with a space, as Kafka's do. */
    static String table(Collection<GroupListing> groups, Filter filter) {
        var rows = new ArrayList<List<String>>();
        int width = 20;
        for (GroupListing g : groups) {
            if (filter.accepts(g)) {
                var row = List.of(g.groupId(), g.type().map(GroupType::toString).orElse(""), g.protocol());
                for (String cell : row) {
                    width = Math.max(width, cell.length());
                }
                rows.add(row);
            }
        }
        String fmt = "%-" + width + "s";
        var out =
                new StringBuilder(String.format(fmt + " " + fmt + " " + fmt, "GROUP", "TYPE", "PROTOCOL")).append('\n');
        for (List<String> row : rows) {
            row.forEach(cell -> out.append(String.format(fmt + " ", cell)));
            out.append('\n');
        }
        return out.toString();
    }
}
