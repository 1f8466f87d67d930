/**
 * Kafka's command-line tools ({@code bin/kafka-*.sh}) built on kafka-clients' public API, with Kafka 4.x's flags,
 * output and messages. Each tool has a {@code static int run(String[] args, PrintStream out, PrintStream err)} entry
 * point for in-process use; {@code main} only exits with its result.
 */
package io.herald.tools;
