package io.herald.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A group member in its own JVM, so a test can kill it with SIGKILL: it sends no LeaveGroup and its heartbeats just
 * stop, as when a machine dies. It prints each processed value (after committing it) and its assignment size.
 */
final class ConsumerProcess implements AutoCloseable {
    private final Process process;
    private final AtomicInteger assigned = new AtomicInteger(-1);
    private final Thread reader;

    ConsumerProcess(Properties config, String topic, Set<String> processed) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ConsumerProcess.class.getName());
        command.add(topic);
        config.forEach((k, v) -> command.add(k + "=" + v));
        this.process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("processed ")) {
                        processed.add(line.substring("processed ".length()));
                    } else if (line.startsWith("assigned ")) {
                        assigned.set(Integer.parseInt(line.substring("assigned ".length())));
                    }
                }
            } catch (Exception e) {
                // the process died: that is the point
            }
        });
    }

    int assignedPartitions() {
        return assigned.get();
    }

    /** SIGKILL: no LeaveGroup, no last heartbeat. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(Duration.ofSeconds(10));
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static void main(String[] args) {
        Properties config = new Properties();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(args[0]));
            int lastAssigned = -1;
            while (true) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty()) {
                    consumer.commitSync();
                    StringBuilder out = new StringBuilder();
                    for (ConsumerRecord<String, String> record : records) {
                        out.append("processed ").append(record.value()).append('\n');
                    }
                    System.out.print(out);
                }
                int size = consumer.assignment().size();
                if (size != lastAssigned) {
                    lastAssigned = size;
                    System.out.println("assigned " + size);
                }
                System.out.flush();
            }
        }
    }
}
