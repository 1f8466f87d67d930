package io.herald.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Thrown by argument parsing when {@code --help} or {@code --version} was handled, carrying the exit code Kafka's tool
 * gives: 0 after {@code --version}; for help, Kafka's jopt-simple tools print it on stderr and exit 1, its argparse
 * tools print it on stdout and exit 1 or 0 depending on the tool.
 */
public final class HelpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String stderrText;

    /** Help or version already printed; exit 0. */
    public HelpException() {
        this(0, null);
    }

    private HelpException(int exitCode, String stderrText) {
        super(null, null, false, false);
        this.exitCode = exitCode;
        this.stderrText = stderrText;
    }

    /** Help already printed on stdout; exit with {@code exitCode}. */
    public static HelpException exitingWith(int exitCode) {
        return new HelpException(exitCode, null);
    }

    /** A jopt-simple tool's help: the description and the option table, on stderr, and exit code 1. */
    public static HelpException onStderr(String description, OptionParser parser) {
        var text = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            print.println(description);
            parser.printUsage(print);
        }
        return new HelpException(1, text.toString(StandardCharsets.UTF_8));
    }

    /** Prints what is left to print and returns the exit code. */
    public int report(PrintStream err) {
        if (stderrText != null) {
            err.print(stderrText);
            err.flush();
        }
        return exitCode;
    }
}
