package io.herald.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache Kafka 4.1 from its Maven Central jars, started the way its kafka-server-start.sh would: kafka.Kafka with the
 * stock heap and JVM flags of kafka-run-class.sh, logging INFO to a file through Log4j 2.
 */
final class KafkaBroker extends BrokerProcess {
    /** kafka-run-class.sh's default KAFKA_JVM_PERFORMANCE_OPTS. */
    private static final List<String> PERFORMANCE_OPTS = List.of(
            "-server",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-XX:MaxInlineLevel=15",
            "-Djava.awt.headless=true");

    private final Path kafkaLib;

    KafkaBroker(Path dir, String java, Path kafkaLib) throws IOException {
        super(dir, java);
        this.kafkaLib = kafkaLib;
    }

    @Override
    String name() {
        return ResultTable.KAFKA;
    }

    @Override
    void format(String clusterId) throws IOException, InterruptedException {
        Path config = writeConfig();
        Files.writeString(dir.resolve("log4j2.properties"), log4jConfig(), StandardCharsets.UTF_8);
        List<String> command = javaCommand();
        command.addAll(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString()));
        runToCompletion(new ProcessBuilder(command), dir.resolve("format.out"), "Kafka's StorageTool format");
    }

    @Override
    ProcessBuilder startCommand() {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(List.of(HEAP_OPTS.split(" ")));
        command.addAll(PERFORMANCE_OPTS);
        command.addAll(javaCommand().subList(1, javaCommand().size()));
        command.addAll(List.of("kafka.Kafka", dir.resolve("server.properties").toString()));
        return new ProcessBuilder(command);
    }

    private List<String> javaCommand() {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        command.add("-Dkafka.logs.dir=" + dir);
        command.add("-cp");
        command.add(kafkaLib.toAbsolutePath() + "/*");
        return command;
    }

    private String log4jConfig() {
        return String.join(
                        "\n",
                        "status = warn",
                        "appender.file.type = File",
                        "appender.file.name = file",
                        "appender.file.fileName = " + dir.resolve("server.log"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                        "rootLogger.level = info",
                        "rootLogger.appenderRef.file.ref = file")
                + "\n";
    }
}
