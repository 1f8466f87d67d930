package io.herald.broker;

import java.util.Map;

/**
 * The node's loggers and their levels, for Kafka's {@code broker-loggers} configs (KIP-412): the server supplies the
 * logging backend's implementation; changes last until the process ends, as in Kafka.
 */
public interface LogLevels {
    /** The root logger's name, as Kafka reports it. */
    String ROOT = "root";

    /** Every logger the process has created, with its effective level (TRACE, DEBUG, INFO, WARN, ERROR or OFF). */
    Map<String, String> levels();

    /** Sets a logger's level; a null level makes it inherit its parent's again. */
    void setLevel(String logger, String level);

    /** No logging backend to control: no loggers. */
    LogLevels NONE = new LogLevels() {
        @Override
        public Map<String, String> levels() {
            return Map.of();
        }

        @Override
        public void setLevel(String logger, String level) {
            throw new UnsupportedOperationException("log levels cannot be changed in this process");
        }
    };
}
