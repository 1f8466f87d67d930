package io.herald.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Herald started exactly as its README says: bin/kafka-storage.sh format, then bin/kafka-server-start.sh. */
final class HeraldBroker extends BrokerProcess {
    private final Path heraldHome;
    private final java.util.List<String> overrides;

    HeraldBroker(Path dir, String java, Path heraldHome, java.util.List<String> overrides) throws IOException {
        super(dir, java);
        this.heraldHome = heraldHome;
        this.overrides = overrides;
    }

    /** The shared properties plus {@code --herald-override} lines (later lines win). */
    @Override
    String serverProperties() {
        return super.serverProperties() + String.join("\n", overrides) + (overrides.isEmpty() ? "" : "\n");
    }

    @Override
    String name() {
        return ResultTable.HERALD;
    }

    @Override
    void format(String clusterId) throws IOException, InterruptedException {
        Path config = writeConfig();
        ProcessBuilder builder = new ProcessBuilder(
                heraldHome.resolve("bin/kafka-storage.sh").toString(),
                "format",
                "-t",
                clusterId,
                "-c",
                config.toString());
        runToCompletion(withEnv(builder, env()), dir.resolve("format.out"), "Herald's kafka-storage.sh format");
    }

    @Override
    ProcessBuilder startCommand() {
        ProcessBuilder builder = new ProcessBuilder(
                heraldHome.resolve("bin/kafka-server-start.sh").toString(),
                dir.resolve("server.properties").toString());
        builder.environment().put("KAFKA_HEAP_OPTS", HEAP_OPTS);
        return withEnv(builder, env());
    }

    private Map<String, String> env() {
        // The same JDK as Kafka and the tools; the scripts would otherwise pick their own.
        return Map.of("HERALD_JAVA", java);
    }
}
