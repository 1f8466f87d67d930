package io.herald.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * {@code kafka-cluster.sh}: {@code cluster-id} prints {@code Cluster ID: …}; {@code unregister} removes a broker;
 * {@code list-endpoints} prints the brokers' (or, through {@code --bootstrap-controller}, the controllers') endpoints.
 */
public final class ClusterTool {
    private static final String PROG = "kafka-cluster";

    private ClusterTool() {}

    public static void main(String[] args) {
        ToolRunner.main(args, ClusterTool::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return AdminTool.run(args, out, err, factory, ClusterTool::read, ClusterTool::act);
    }

    private static OptionParser parser(String command) {
        boolean withId = command.equals("unregister");
        var p = new OptionParser()
                .arg("bootstrap-server", "BOOTSTRAP_SERVER", "Brokers to connect to, host:port,...", "-b")
                .arg("bootstrap-controller", "BOOTSTRAP_CONTROLLER", "Controllers to connect to, host:port,...", "-C")
                .arg("config", "CONFIG", "Admin client settings file.", "-c")
                .flag("help", "show this help message and exit", "-h");
        if (withId) {
            p.arg("id", "ID", "The broker to unregister.", "-i");
        }
        if (command.equals("list-endpoints")) {
            p.flag("include-fenced-brokers", "Also list fenced brokers.");
        }
        return p;
    }

    /** A sub-command and its parsed options. */
    private record Request(String command, OptionParser.Parsed opts) {}

    private static AdminTool.Invocation<Request> read(String[] args, PrintStream out) {
        if (args.length == 0) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        String command = args[0];
        if (command.equals("-h") || command.equals("--help")) {
            out.println("usage: kafka-cluster [-h] {cluster-id,unregister,list-endpoints} ...");
            out.println();
            out.println("Shows a cluster's ID and endpoints and unregisters brokers.");
            out.println();
            out.println("  cluster-id           Print the cluster's ID.");
            out.println("  unregister           Remove a broker's registration.");
            out.println("  list-endpoints       Print the brokers' (or controllers') endpoints.");
            throw HelpException.exitingWith(1);
        }
        if (!List.of("cluster-id", "unregister", "list-endpoints").contains(command)) {
            throw new CommandException(PROG + ": error: argument command: invalid choice: '" + command
                    + "' (choose from 'cluster-id', 'unregister', 'list-endpoints')");
        }
        boolean unregister = command.equals("unregister");
        OptionParser parser = parser(command);
        OptionParser.Parsed opts = parser.parse(Arrays.copyOfRange(args, 1, args.length), PROG + " " + command);
        if (opts.has("help")) {
            parser.printUsage(out);
            throw HelpException.exitingWith(1);
        }
        opts.requireExactlyOne(
                PROG + " " + command,
                "bootstrap-server",
                "--bootstrap-server/-b",
                "bootstrap-controller",
                "--bootstrap-controller/-C");
        if (unregister && !opts.has("id")) {
            throw new CommandException(PROG + " unregister: error: argument --id/-i is required");
        }
        return new AdminTool.Invocation<>(
                new Request(command, opts), AdminTool.serverOrControllerConnection(opts, "config"));
    }

    private static int act(Request request, Admin admin, PrintStream out) throws Exception {
        OptionParser.Parsed opts = request.opts();
        switch (request.command()) {
            case "cluster-id" ->
                out.println("Cluster ID: " + admin.describeCluster().clusterId().get());
            case "list-endpoints" ->
                listEndpoints(admin, opts.has("bootstrap-controller"), opts.has("include-fenced-brokers"), out);
            default -> unregister(admin, opts.intValue("id"), out);
        }
        return 0;
    }

    private static void unregister(Admin admin, int id, PrintStream out) throws Exception {
        try {
            admin.unregisterBroker(id).all().get();
            out.println("Broker " + id + " is no longer registered.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                throw new CommandException("The target cluster does not support the broker unregistration API.");
            }
            throw e;
        }
    }

    /** Kafka 4.1's table: fixed-width columns, HOST as wide as the longest host; controllers have no STATE. */
    private static void listEndpoints(Admin admin, boolean controllers, boolean includeFenced, PrintStream out)
            throws Exception {
        List<Node> nodes =
                new ArrayList<>(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(includeFenced))
                        .nodes()
                        .get());
        nodes.sort(Comparator.comparingInt(Node::id));
        int hostWidth = Math.max(
                "HOST".length(),
                nodes.stream().mapToInt(n -> n.host().length()).max().orElse(0));
        String host = "%-" + hostWidth + "s ";
        if (controllers) {
            String format = "%-10s " + host + "%-10s %-10s %-15s%n";
            out.printf(format, "ID", "HOST", "PORT", "RACK", "ENDPOINT_TYPE");
            nodes.forEach(n -> out.printf(format, n.id(), n.host(), n.port(), n.rack(), "controller"));
        } else {
            String format = "%-10s " + host + "%-10s %-10s %-10s %-15s%n";
            out.printf(format, "ID", "HOST", "PORT", "RACK", "STATE", "ENDPOINT_TYPE");
            nodes.forEach(n -> out.printf(
                    format, n.id(), n.host(), n.port(), n.rack(), n.isFenced() ? "fenced" : "unfenced", "broker"));
        }
    }
}
