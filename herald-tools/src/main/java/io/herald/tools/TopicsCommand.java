package io.herald.tools;

import io.herald.tools.topics.TopicService;
import io.herald.tools.topics.TopicsOptions;
import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code kafka-topics.sh}: create, list, describe, alter (partitions) and delete topics with Kafka 4.x's flags, output
 * and error reporting (plain messages on stderr; failed operations as {@code Error while executing topic command : …}
 * on stdout, as Kafka does).
 */
public final class TopicsCommand {
    private TopicsCommand() {}

    public static void main(String[] args) {
        ToolLogging.init();
        System.exit(run(args, System.out, System.err));
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
            return 0;
        } catch (CommandException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
        try (Admin admin = adminFactory.apply(props)) {
            new TopicService(admin, out).execute(opts);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            out.println("Error while executing topic command : " + ToolRunner.message(cause(e)));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (LinkageError e) {
            err.println(e.toString());
            return 1;
        } catch (Exception e) {
            out.println("Error while executing topic command : " + ToolRunner.message(e));
            return 1;
        }
    }

    private static Throwable cause(ExecutionException e) {
        return e.getCause() == null ? e : e.getCause();
    }
}
