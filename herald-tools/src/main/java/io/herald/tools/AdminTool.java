package io.herald.tools;

import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The skeleton of a tool that works through an {@link Admin} client: read the command line (answering
 * {@code --help}/{@code --version}), connect, act, and report any failure as {@link ToolRunner#run} does (one line on
 * stderr, exit 1). A tool supplies its option table, a {@link Reader} that checks the options and a {@link Action}.
 */
public final class AdminTool {
    private AdminTool() {}

    /** What one run of a tool needs: its own settings and the Admin client's. */
    public record Invocation<S>(S settings, Properties adminProps) {}

    /** Checks the command line and turns it into an {@link Invocation}; help and version end it early. */
    @FunctionalInterface
    public interface Reader<S> {
        Invocation<S> read(String[] args, PrintStream out) throws Exception;
    }

    /** The tool's work with a connected client; returns the exit code. */
    @FunctionalInterface
    public interface Action<S> {
        int act(S settings, Admin admin, PrintStream out) throws Exception;
    }

    /**
     * How a tool reports a failure of its action (after the client is closed): prints it and returns the exit code, or
     * rethrows it for {@link ToolRunner#run}'s one line on stderr.
     */
    @FunctionalInterface
    public interface Failures {
        int report(Exception failure, PrintStream out, PrintStream err) throws Exception;

        /** Kafka's report on stdout: {@code prefix} and the message of the failure (of its cause, if it wraps one). */
        static Failures onStdout(String prefix) {
            return (failure, out, err) -> {
                Throwable cause = failure instanceof ExecutionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                out.println(prefix + ToolRunner.message(cause));
                return 1;
            };
        }
    }

    /** Parse, connect, act; every failure as one line on stderr (exit 1). */
    public static <S> int run(
            String[] args, PrintStream out, PrintStream err, AdminFactory factory, Reader<S> reader, Action<S> action) {
        return run(args, out, err, factory, reader, action, (failure, o, e) -> {
            throw failure;
        });
    }

    /** Parse, connect, act; failures of reading as one line on stderr (exit 1), those of acting as {@code failures}. */
    public static <S> int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            AdminFactory factory,
            Reader<S> reader,
            Action<S> action,
            Failures failures) {
        return ToolRunner.run(err, () -> {
            Invocation<S> invocation = reader.read(args, out);
            try (Admin admin = factory.create(invocation.adminProps())) {
                return action.act(invocation.settings(), admin, out);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                return failures.report(e, out, err);
            }
        });
    }

    /**
     * The front of a jopt-simple tool: parses {@code args} against {@code table} and answers {@code --help} (or no
     * arguments) and {@code --version} as Kafka does.
     */
    public static OptionParser.Parsed parse(OptionParser table, String description, String[] args, PrintStream out) {
        OptionParser.Parsed opts = table.parse(args);
        table.printHelpOrVersion(args, opts, description, out);
        return opts;
    }

    /** {@code --command-config} (if any) with {@code --bootstrap-server} over it. */
    public static Properties brokerConnection(OptionParser.Parsed opts) {
        return AdminFactory.adminProps(
                opts.value("command-config"),
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                opts.value("bootstrap-server"));
    }

    /** The {@code configOption} file (if any) with {@code --bootstrap-server} or else {@code --bootstrap-controller}. */
    public static Properties serverOrControllerConnection(OptionParser.Parsed opts, String configOption) {
        return AdminFactory.bootstrapProps(
                opts.value(configOption), opts.value("bootstrap-server"), opts.value("bootstrap-controller"));
    }
}
