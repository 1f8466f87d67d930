package io.herald.tools;

/**
 * A failure to report to the user as one line on stderr with exit code 1 (bad arguments, a failed operation). Tools
 * throw it instead of printing, so {@link ToolRunner} is the only place that decides how failures look.
 */
public class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
