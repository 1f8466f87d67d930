package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.tools.perf.PerfStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProducerPerformanceTest {
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final AtomicReference<Properties> props = new AtomicReference<>();
    /** A clock that advances 1 ms per reading, so latencies and rates are deterministic. */
    private final AtomicLong now = new AtomicLong(1_000_000);

    private ToolOutput perf(String... args) {
        return ToolOutput.run(
                (a, o, e) -> ProducerPerformance.run(
                        a,
                        o,
                        e,
                        p -> {
                            props.set(p);
                            return producer;
                        },
                        now::getAndIncrement),
                args);
    }

    @Test
    void sendsRecordsAndPrintsSummary() {
        var r = perf(
                "--topic",
                "t",
                "--num-records",
                "20",
                "--record-size",
                "10",
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=h:9092",
                "acks=1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(producer.history()).hasSize(20);
        assertThat(producer.history().get(0).value()).hasSize(10);
        assertThat(r.out())
                .matches("20 records sent, [0-9.]+ records/sec \\([0-9.]+ MB/sec\\), [0-9.]+ ms avg latency,"
                        + " [0-9.]+ ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, \\d+ ms 99.9th.\\n");
        assertThat(props.get().getProperty("acks")).isEqualTo("1");
        assertThat(props.get().getProperty("client.id")).isEqualTo("perf-producer-client");
    }

    @Test
    void monotonicPayloadsAndWarmup() {
        var r = perf(
                "--topic",
                "t",
                "--num-records",
                "5",
                "--payload-monotonic",
                "--throughput",
                "-1",
                "--warmup-records",
                "2",
                "--bootstrap-server",
                "h:9092");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(new String(producer.history().get(4).value(), StandardCharsets.UTF_8))
                .isEqualTo("4");
        var lines = r.out().split("\n");
        assertThat(lines[0])
                .isEqualTo("Warmup first 2 records. Steady state results will print after the complete test summary.");
        assertThat(lines[1]).startsWith("5 records sent, ");
        assertThat(lines[2]).startsWith("3 steady state records sent, ");
    }

    @Test
    void windowLinesEveryFiveSeconds() {
        var bytes = new ByteArrayOutputStream();
        var stats = new PerfStats(false, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        stats.record(4, 1024 * 1024, 1000);
        stats.record(6, 1024 * 1024, 5000);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("2 records sent, 0.4 records/sec (0.40 MB/sec), 5.0 ms avg latency, 6.0 ms max latency.\n");
    }

    @Test
    void argumentErrors() {
        assertThat(perf("--num-records", "1", "--record-size", "1", "--throughput", "1", "--producer-props", "a=b")
                        .err())
                .isEqualTo("producer-performance: error: argument --topic is required\n");
        assertThat(perf("--topic", "t", "--num-records", "1", "--throughput", "1", "--producer-props", "a=b")
                        .err())
                .isEqualTo("producer-performance: error: one of the arguments --record-size --payload-file"
                        + " --payload-monotonic is required\n");
        assertThat(perf(
                                "--topic",
                                "t",
                                "--num-records",
                                "0",
                                "--record-size",
                                "1",
                                "--throughput",
                                "1",
                                "--producer-props",
                                "a=b")
                        .err())
                .isEqualTo("producer-performance: error: --num-records should be greater than zero\n");
        assertThat(perf("--topic", "t", "--num-records", "1", "--record-size", "1", "--throughput", "1")
                        .err())
                .isEqualTo("producer-performance: error: Either --producer-props or --producer.config must be"
                        + " specified.\n");
    }
}
