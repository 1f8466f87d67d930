package io.herald.tools;

import io.herald.tools.groups.GroupClient;
import io.herald.tools.groups.GroupService;
import io.herald.tools.groups.GroupsOptions;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code kafka-consumer-groups.sh}: {@code --list}, {@code --describe} (offsets, {@code --members}, {@code --state}),
 * {@code --delete}, {@code --reset-offsets}, {@code --delete-offsets} and {@code --validate-regex}, with Kafka 4.x's tables and messages.
 */
public final class ConsumerGroupCommand {
    private static final String FAILED = "\nError: Executing consumer group command failed due to ";

    private ConsumerGroupCommand() {}

    public static void main(String[] args) {
        ToolRunner.main(args, ConsumerGroupCommand::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, AdminFactory.DEFAULT);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, AdminFactory factory) {
        return run(args, out, err, factory, GroupClient::of, Clock.systemUTC());
    }

    /** As {@link #run(String[], PrintStream, PrintStream, AdminFactory)}, with the group operations and clock given. */
    public static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            AdminFactory factory,
            Function<Admin, GroupClient> groups,
            Clock clock) {
        GroupsOptions opts;
        try {
            opts = GroupsOptions.parse(args, out, err);
        } catch (HelpException e) {
            return e.report(err);
        } catch (CommandException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
        if (opts.has("validate-regex")) {
            String regex = opts.value("validate-regex");
            try {
                Pattern.compile(regex);
                out.println("The regular expression `" + regex + "` is valid.");
            } catch (PatternSyntaxException e) {
                out.println("The regular expression `" + regex + "` is invalid: " + e.getDescription() + ".");
            }
            return 0;
        }
        var props = AdminFactory.adminProps(
                opts.value("command-config"),
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                opts.value("bootstrap-server"));
        try (Admin admin = factory.create(props)) {
            new GroupService(groups.apply(admin), opts, out, err, clock).execute();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            // As Kafka 4.1: the failure on stdout (an ExecutionException's message names its cause's type) and,
            // since only argument errors end the command early, exit code 0.
            out.println(FAILED + ToolRunner.message(e));
            return 0;
        }
    }
}
