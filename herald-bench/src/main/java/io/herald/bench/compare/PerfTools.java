package io.herald.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Apache Kafka's perf tools (kafka-tools) as separate JVMs, one at a time, so the client side is the same program
 * against both brokers. Each run's output is kept in the broker's directory and returned for parsing.
 */
final class PerfTools {
    private static final String TOOL_HEAP = "-Xmx512m";
    private static final long TOOL_TIMEOUT_MINUTES = 15;

    private static final long LIVENESS_CHECK_MS = 200;

    private final String java;
    private final String classpath;
    private final ProcessHandle broker;

    /** Tools for one broker: a tool still running when {@code broker} exits is killed and the run fails. */
    PerfTools(String java, String classpath, ProcessHandle broker) {
        this.java = java;
        this.classpath = classpath;
        this.broker = broker;
    }

    String producerPerformance(
            Path log,
            String bootstrap,
            String topic,
            long records,
            int recordSize,
            String acks,
            long throughput,
            String compression)
            throws IOException, InterruptedException {
        return run(
                log,
                "org.apache.kafka.tools.ProducerPerformance",
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--record-size",
                Integer.toString(recordSize),
                "--throughput",
                Long.toString(throughput),
                "--producer-props",
                "bootstrap.servers=" + bootstrap,
                "acks=" + acks,
                "linger.ms=5",
                "batch.size=131072",
                "compression.type=" + compression);
    }

    String consumerPerformance(Path log, String bootstrap, String topic, long records, long timeoutMs, String group)
            throws IOException, InterruptedException {
        return run(
                log,
                "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--messages",
                Long.toString(records),
                "--timeout",
                Long.toString(timeoutMs),
                "--group",
                group);
    }

    String endToEndLatency(Path log, String bootstrap, String topic, int messages, int recordSize)
            throws IOException, InterruptedException {
        return run(
                log,
                "org.apache.kafka.tools.EndToEndLatency",
                bootstrap,
                topic,
                Integer.toString(messages),
                "1",
                Integer.toString(recordSize));
    }

    private String run(Path log, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(java, TOOL_HEAP, "--enable-native-access=ALL-UNNAMED", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TOOL_TIMEOUT_MINUTES);
        while (!p.waitFor(LIVENESS_CHECK_MS, TimeUnit.MILLISECONDS)) {
            if (!broker.isAlive()) {
                p.destroyForcibly().waitFor();
                throw new IOException("the broker exited while " + mainClass + " ran; see " + log);
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                break;
            }
        }
        return Files.readString(log);
    }
}
