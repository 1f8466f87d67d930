package io.herald.tools;

import java.io.PrintStream;
import java.util.concurrent.ExecutionException;

/**
 * Runs a tool body and maps its outcome to Kafka's conventions: exit 0 on success or help, otherwise exactly one line
 * on stderr and exit 1, never a stack trace.
 */
public final class ToolRunner {
    private ToolRunner() {}

    /** A tool body; returns its exit code. */
    @FunctionalInterface
    public interface Body {
        int run() throws Exception;
    }

    /** A whole tool, as its {@code run(args, out, err)} entry point. */
    @FunctionalInterface
    public interface Tool {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    /** A tool's {@code main}: warnings-only logging on stderr, then exit with the tool's code. */
    public static void main(String[] args, Tool tool) {
        ToolLogging.init();
        System.exit(tool.run(args, System.out, System.err));
    }

    /**
     * For tools that report a failed operation on stdout, as Kafka's {@code kafka-topics.sh} and group tools do:
     * {@code prefix} and the (cause's) message on {@code out}; an {@link IllegalArgumentException} (a usage error)
     * on {@code err}. Exit code 1 either way.
     */
    public static int reportingOn(PrintStream out, PrintStream err, String prefix, Body body) {
        try {
            return body.run();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        } catch (ExecutionException e) {
            out.println(prefix + message(e.getCause() == null ? e : e.getCause()));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (LinkageError e) {
            err.println(e.toString());
            return 1;
        } catch (Exception e) {
            out.println(prefix + message(e));
            return 1;
        }
    }

    public static int run(PrintStream err, Body body) {
        try {
            return body.run();
        } catch (HelpException e) {
            return e.report(err);
        } catch (CommandException e) {
            err.println(oneLine(e.getMessage()));
            return 1;
        } catch (ExecutionException e) {
            err.println(oneLine(message(e.getCause() == null ? e : e.getCause())));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Interrupted");
            return 1;
        } catch (Exception e) {
            err.println(oneLine(message(e)));
            return 1;
        } catch (LinkageError | StackOverflowError e) {
            // e.g. a broken class path: still one line, naming the error since its message alone is cryptic.
            err.println(oneLine(e.toString()));
            return 1;
        }
    }

    /** The user-facing text of an exception: its message, or its type when it has none. */
    public static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace("\r", "");
    }
}
