package io.herald.tools;

import io.herald.tools.topics.TopicService;
import io.herald.tools.topics.TopicsOptions;
import java.io.PrintStream;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code kafka-topics.sh}: create, list, describe, alter (partitions) and delete topics with Kafka 4.x's flags, output
 * and error reporting (plain messages on stderr; failed operations as {@code Error while executing topic command : …}
 * on stdout, as Kafka does).
 */
public final class TopicsCommand {
    private static final String FAILED = "Error while executing topic command : ";

    private TopicsCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, TopicsCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Admin::create);
    }

    /** In-process entry point with a chosen Admin factory (tests pass a mock). */
    public static int run(String[] args, PrintStream out, PrintStream err, Function<Properties, Admin> adminFactory) {
        TopicsOptions opts;
        Properties props;
        try {
            opts = TopicsOptions.parse(args, out, err);
            props = opts.commandConfig() == null ? new Properties() : ServerConfig.loadProperties(opts.commandConfig());
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, opts.bootstrapServer());
        } catch (HelpException e) {
            return e.report(err);
        } catch (CommandException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
        return ToolRunner.reportingOn(out, err, FAILED, () -> {
            try (Admin admin = adminFactory.apply(props)) {
                new TopicService(admin, out).execute(opts);
                return 0;
            } catch (IllegalArgumentException e) {
                // Past parsing, Kafka reports even argument errors (unknown topic, partitions < 1) as failed commands.
                out.println(FAILED + ToolRunner.message(e));
                return 1;
            }
        });
    }
}
