package io.herald.tools;

/** Thrown by argument parsing when {@code --help} or {@code --version} was handled; the tool exits 0. */
public final class HelpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HelpException() {
        super(null, null, false, false);
    }
}
