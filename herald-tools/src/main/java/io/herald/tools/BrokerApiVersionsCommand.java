package io.herald.tools;

import io.herald.tools.apiversions.ApiVersionsClient;
import io.herald.tools.apiversions.ApiVersionsPrinter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;

/**
 * {@code kafka-broker-api-versions.sh}: for every broker in the cluster prints {@code <node> -> (} and its API versions
 * (see {@link ApiVersionsPrinter}), or {@code <node> -> ERROR: …}. Plaintext listeners only.
 */
public final class BrokerApiVersionsCommand {
    private static final OptionParser OPTIONS = new OptionParser()
            .bootstrapServer("server(s) to use for bootstrapping")
            .commandConfig("command config property file")
            .helpAndVersion();

    private BrokerApiVersionsCommand() {}

    /** Fetches one node's API versions (the network in production, canned data in tests). */
    @FunctionalInterface
    public interface VersionsSource {
        List<ApiVersion> fetch(Node node) throws Exception;
    }

    public static void main(String[] args) {
        ToolRunner.main(args, BrokerApiVersionsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT, new ApiVersionsClient(30_000)::fetch);
    }

    public static int run(
            String[] args, PrintStream out, PrintStream err, AdminFactory factory, VersionsSource source) {
        return AdminTool.run(args, out, err, factory, BrokerApiVersionsCommand::read, (none, admin, o) -> {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get());
            nodes.sort(Comparator.comparingInt(Node::id));
            for (Node node : nodes) {
                try {
                    o.print(node + " -> " + ApiVersionsPrinter.render(source.fetch(node)) + "\n");
                } catch (Exception e) {
                    o.print(node + " -> ERROR: " + ToolRunner.message(e) + "\n");
                }
            }
            return 0;
        });
    }

    private static AdminTool.Invocation<Void> read(String[] args, PrintStream out) {
        OptionParser.Parsed opts = OPTIONS.parse(args);
        OPTIONS.answerHelpOrVersion(opts, "Prints the API versions each broker supports.", out);
        opts.require("bootstrap-server");
        return new AdminTool.Invocation<>(null, AdminTool.brokerConnection(opts));
    }
}
