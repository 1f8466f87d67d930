package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupType;

/**
 * {@code kafka-groups.sh --list}: every group of every type as a {@code GROUP TYPE PROTOCOL} table, optionally
 * filtered by {@code --group-type}, {@code --protocol}, {@code --consumer}, {@code --share} or {@code --streams}.
 */
public final class GroupsCommand {
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
        OptionParser parser = new OptionParser()
                .arg("bootstrap-server", "server to connect to", "REQUIRED: The Kafka server to connect to.")
                .arg("command-config", "command config property file", "Admin client settings file.")
                .flag("list", "List the groups.")
                .arg("group-type", "type", "Only groups of this type: classic, consumer, share or streams.")
                .arg("protocol", "protocol", "Only groups with this protocol type.")
                .flag("consumer", "Only consumer groups: type consumer, or classic with protocol consumer.")
                .flag("share", "Only share groups.")
                .flag("streams", "Only streams groups.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
        Filter filter;
        OptionParser.Parsed opts;
        try {
            opts = parser.parse(args);
            if (args.length == 0 || opts.has("help")) {
                return HelpException.onStderr("Lists groups of every type.", parser)
                        .report(err);
            }
            if (opts.has("version")) {
                out.println(Version.KAFKA_VERSION);
                return 0;
            }
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
            filter = new Filter(
                    type,
                    Optional.ofNullable(opts.value("protocol")),
                    opts.has("consumer"),
                    opts.has("share"),
                    opts.has("streams"));
        } catch (CommandException e) {
            err.println(e.getMessage());
            return 1;
        }
        var props = AdminFactory.adminProps(
                opts.value("command-config"),
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                opts.value("bootstrap-server"));
        try (Admin admin = factory.create(props)) {
            out.print(table(admin.listGroups().all().get(30, TimeUnit.SECONDS), filter));
            return 0;
        } catch (ExecutionException e) {
            out.println("Error while executing groups command : "
                    + ToolRunner.message(e.getCause() == null ? e : e.getCause()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            out.println("Error while executing groups command : " + ToolRunner.message(e));
            return 1;
        }
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
