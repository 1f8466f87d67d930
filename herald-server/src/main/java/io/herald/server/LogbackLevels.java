package io.herald.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.herald.broker.LogLevels;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The broker-loggers of this process on Logback: every created logger, its effective level, and level changes. */
final class LogbackLevels implements LogLevels {
    private final LoggerContext context;

    private LogbackLevels(LoggerContext context) {
        this.context = context;
    }

    /** Logback's levels when it is the SLF4J backend, else none. */
    static LogLevels current() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                ? new LogbackLevels(context)
                : LogLevels.NONE;
    }

    @Override
    public Map<String, String> levels() {
        Map<String, String> levels = new HashMap<>();
        for (Logger logger : context.getLoggerList()) {
            levels.put(name(logger), logger.getEffectiveLevel().toString());
        }
        return levels;
    }

    @Override
    public void setLevel(String name, String level) {
        Logger logger = context.getLogger(name.equals(ROOT) ? org.slf4j.Logger.ROOT_LOGGER_NAME : name);
        // Logback has no FATAL: log4j's FATAL is its ERROR. A null level inherits the parent's again.
        logger.setLevel(level == null ? null : Level.toLevel("FATAL".equals(level) ? "ERROR" : level, Level.INFO));
    }

    private static String name(Logger logger) {
        return logger.getName().equals(org.slf4j.Logger.ROOT_LOGGER_NAME) ? ROOT : logger.getName();
    }
}
