package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsoleProducerTest {
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final AtomicReference<Properties> usedProps = new AtomicReference<>();

    private ToolOutput produce(String input, boolean prompt, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = ConsoleProducer.run(
                args,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                prompt,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                props -> {
                    usedProps.set(props);
                    return producer;
                });
        return new ToolOutput(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sendsEachLineAndAppliesKafkaDefaults() {
        var r = produce("a\nb\n", false, "--bootstrap-server", "h:9092", "--topic", "t");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(producer.history()).hasSize(2);
        assertThat(new String(producer.history().get(1).value(), StandardCharsets.UTF_8))
                .isEqualTo("b");
        Properties p = usedProps.get();
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("h:9092");
        assertThat(p.getProperty("linger.ms")).isEqualTo("1000");
        assertThat(p.getProperty("acks")).isEqualTo("-1");
        assertThat(p.getProperty("request.timeout.ms")).isEqualTo("1500");
        assertThat(p.getProperty("compression.type")).isEqualTo("none");
        assertThat(p.getProperty("client.id")).isEqualTo("console-producer");
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void promptsOnTerminalAndParsesKeys() {
        var r = produce(
                "k1:v1\n",
                true,
                "--bootstrap-server",
                "h:9092",
                "--topic",
                "t",
                "--property",
                "parse.key=true",
                "--property",
                "key.separator=:",
                "--compression-codec",
                "--sync",
                "--producer-property",
                "acks=1",
                "--request-required-acks",
                "all");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(">>");
        assertThat(new String(producer.history().get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("k1");
        assertThat(usedProps.get().getProperty("compression.type")).isEqualTo("gzip");
        assertThat(usedProps.get().getProperty("acks")).isEqualTo("all");
    }

    @Test
    void producerPropertyWinsOverDefaultWhenFlagAbsent() {
        produce("", false, "--bootstrap-server", "h", "--topic", "t", "--producer-property", "linger.ms=5");
        assertThat(usedProps.get().getProperty("linger.ms")).isEqualTo("5");
    }

    @Test
    void errorsAreOneLine() {
        assertThat(produce("", false, "--topic", "t").err())
                .isEqualTo("Missing required argument \"[bootstrap-server]\"\n");
        assertThat(produce("", false, "--bootstrap-server", "h").err())
                .isEqualTo("Missing required argument \"[topic]\"\n");
        var bad = produce("nokey\n", false, "--bootstrap-server", "h", "--topic", "t", "--property", "parse.key=true");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("No key separator found on line number 1: 'nokey'\n");
        assertThat(produce("", false, "--help").exitCode()).isEqualTo(1);
    }
}
