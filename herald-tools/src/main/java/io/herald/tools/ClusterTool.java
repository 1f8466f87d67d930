package io.herald.tools;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** {@code kafka-cluster.sh}: {@code cluster-id} prints {@code Cluster ID: …}; {@code unregister} removes a broker. */
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
        return ToolRunner.run(err, () -> execute(args, out, factory));
    }

    private static OptionParser parser(boolean withId) {
        var p = new OptionParser()
                .arg(
                        "bootstrap-server",
                        "BOOTSTRAP_SERVER",
                        "A list of host/port pairs to use for establishing the" + " connection to the Kafka cluster.",
                        "-b")
                .arg("bootstrap-controller", "BOOTSTRAP_CONTROLLER", "A list of host/port pairs of controllers.", "-C")
                .arg("config", "CONFIG", "A property file containing configurations for the Admin client.", "-c")
                .flag("help", "show this help message and exit", "-h");
        if (withId) {
            p.arg("id", "ID", "The ID of the broker to unregister.", "-i");
        }
        return p;
    }

    static int execute(String[] args, PrintStream out, AdminFactory factory) throws Exception {
        if (args.length == 0) {
            throw new CommandException(PROG + ": error: too few arguments");
        }
        String command = args[0];
        if (command.equals("-h") || command.equals("--help")) {
            out.println("usage: kafka-cluster [-h] {cluster-id,unregister} ...");
            out.println();
            out.println("The Kafka cluster tool.");
            out.println();
            out.println("  cluster-id           Get information about the ID of a cluster.");
            out.println("  unregister           Unregister a broker.");
            throw new HelpException();
        }
        if (!command.equals("cluster-id") && !command.equals("unregister")) {
            throw new CommandException(PROG + ": error: argument command: invalid choice: '" + command
                    + "' (choose from 'cluster-id', 'unregister')");
        }
        boolean unregister = command.equals("unregister");
        OptionParser parser = parser(unregister);
        OptionParser.Parsed opts = parser.parse(Arrays.copyOfRange(args, 1, args.length), PROG + " " + command);
        if (opts.has("help")) {
            parser.printUsage(out);
            throw new HelpException();
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
        Properties props = AdminFactory.bootstrapProps(
                opts.value("config"), opts.value("bootstrap-server"), opts.value("bootstrap-controller"));
        try (Admin admin = factory.create(props)) {
            if (!unregister) {
                out.println("Cluster ID: " + admin.describeCluster().clusterId().get());
                return 0;
            }
            int id = opts.intValue("id");
            try {
                admin.unregisterBroker(id).all().get();
                out.println("Broker " + id + " is no longer registered.");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnsupportedVersionException) {
                    throw new CommandException("The target cluster does not support the broker unregistration API.");
                }
                throw e;
            }
            return 0;
        }
    }
}
