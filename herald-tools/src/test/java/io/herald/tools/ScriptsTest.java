package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every {@code bin/kafka-*.sh} of this module names a tool class with both entry points, and is executable. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptsTest {
    private static final Pattern CLASS =
            Pattern.compile("herald-run-class\\.sh\" (io\\.herald\\.tools\\.\\w+) \"\\$@\"");

    @Test
    void everyScriptRunsAToolClass() throws Exception {
        Path bin = Path.of("..", "bin");
        int checked = 0;
        try (Stream<Path> files = Files.list(bin)) {
            for (Path script : files.filter(p -> p.getFileName().toString().matches("kafka-.*\\.sh"))
                    .toList()) {
                if (script.getFileName().toString().startsWith("kafka-server-")) {
                    continue; // the lead's scripts
                }
                var m = CLASS.matcher(Files.readString(script));
                assertThat(m.find()).as(script.toString()).isTrue();
                Class<?> tool = Class.forName(m.group(1));
                assertThat(tool.getMethod("main", String[].class)).isNotNull();
                assertThat(tool.getMethod("run", String[].class, PrintStream.class, PrintStream.class))
                        .isNotNull();
                assertThat(Files.isExecutable(script))
                        .as(script + " executable")
                        .isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    /** Kafka 4.1.1's argparse tools: help on stdout, with these exit codes. The others (jopt-simple): stderr, 1. */
    private static final java.util.Map<String, Integer> ARGPARSE_HELP_EXIT = java.util.Map.of(
            "StorageTool", 0,
            "MetadataQuorumCommand", 0,
            "FeatureCommand", 1,
            "ClusterTool", 1,
            "ProducerPerformance", 1,
            "VerifiableProducer", 1,
            "VerifiableConsumer", 1,
            "TransactionsCommand", 1);

    @Test
    void everyToolAnswersHelpAsKafkasDoes() throws Exception {
        Path bin = Path.of("..", "bin");
        try (Stream<Path> files = Files.list(bin)) {
            for (Path script : files.filter(p -> p.getFileName().toString().matches("kafka-.*\\.sh"))
                    .toList()) {
                var m = CLASS.matcher(Files.readString(script));
                if (!m.find()
                        || m.group(1).endsWith("EndToEndLatency")
                        || m.group(1).endsWith("KafkaRunClass")) {
                    continue; // positional-argument tools without --help, as in Kafka
                }
                Class<?> tool = Class.forName(m.group(1));
                var method = tool.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
                var r = ToolOutput.run(
                        (a, o, e) -> {
                            try {
                                return (int) method.invoke(null, a, o, e);
                            } catch (ReflectiveOperationException ex) {
                                throw new IllegalStateException(ex);
                            }
                        },
                        "--help");
                Integer argparseExit = ARGPARSE_HELP_EXIT.get(tool.getSimpleName());
                if (argparseExit != null) {
                    assertThat(r.exitCode()).as(script + " " + r.err()).isEqualTo(argparseExit);
                    assertThat(r.out()).as(script.toString()).isNotBlank();
                    assertThat(r.err()).as(script.toString()).isEmpty();
                } else {
                    assertThat(r.exitCode()).as(script.toString()).isEqualTo(1);
                    assertThat(r.err()).as(script.toString()).contains("--");
                    assertThat(r.out()).as(script.toString()).isEmpty();
                }
            }
        }
    }
}
