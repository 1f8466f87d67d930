package io.herald.tools;

/**
 * Points logback (the distribution's SLF4J provider) at the tools' own configuration: warnings and errors on stderr,
 * so client-library logging never mixes into a tool's stdout. Must run before anything creates a logger.
 */
public final class ToolLogging {
    static final String CONFIG_PROPERTY = "logback.configurationFile";
    static final String CONFIG_RESOURCE = "herald-tools-logback.xml";

    private ToolLogging() {}

    /** Called first in every tool's {@code main}; an explicit {@code -Dlogback.configurationFile} still wins. */
    public static void init() {
        if (System.getProperty(CONFIG_PROPERTY) == null) {
            System.setProperty(CONFIG_PROPERTY, CONFIG_RESOURCE);
        }
    }
}
