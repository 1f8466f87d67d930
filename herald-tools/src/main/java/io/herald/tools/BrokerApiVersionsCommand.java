package io.herald.tools;

import io.herald.tools.apiversions.ApiVersionsClient;
import io.herald.tools.apiversions.ApiVersionsPrinter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;

/**
 * {@code kafka-broker-api-versions.sh}: for every broker in the cluster prints {@code <node> -> (} and its API versions
 * (see {@link ApiVersionsPrinter}), or {@code <node> -> ERROR: …}. Plaintext listeners only.
 */
public final class BrokerApiVersionsCommand {
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
        return ToolRunner.run(err, () -> {
            OptionParser parser = new OptionParser()
                    .arg(
                            "bootstrap-server",
                            "server(s) to use for bootstrapping",
                            "REQUIRED: The server to connect to.")
                    .arg("command-config", "command config property file", "Admin client settings file.")
                    .flag("help", "Print usage information.")
                    .flag("version", "Display Kafka version.");
            OptionParser.Parsed opts = parser.parse(args);
            if (opts.has("help")) {
                throw HelpException.onStderr("Prints the API versions each broker supports.", parser);
            }
            if (opts.has("version")) {
                out.println(Version.KAFKA_VERSION);
                throw new HelpException();
            }
            opts.require("bootstrap-server");
            var props = AdminFactory.adminProps(
                    opts.value("command-config"),
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    opts.value("bootstrap-server"));
            List<Node> nodes;
            try (Admin admin = factory.create(props)) {
                nodes = new ArrayList<>(admin.describeCluster().nodes().get());
            }
            nodes.sort(Comparator.comparingInt(Node::id));
            for (Node node : nodes) {
                try {
                    out.print(node + " -> " + ApiVersionsPrinter.render(source.fetch(node)) + "\n");
                } catch (Exception e) {
                    out.print(node + " -> ERROR: " + ToolRunner.message(e) + "\n");
                }
            }
            return 0;
        });
    }
}
