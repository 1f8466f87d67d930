package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EndToEndLatencyTest {
    private final TopicPartition tp = new TopicPartition("lat", 0);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("latest");
    /** A producer whose sends show up in the consumer, as a broker would deliver them. */
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
                private long offset;

                @Override
                public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
                    consumer.addRecord(new ConsumerRecord<>("lat", 0, offset++, null, record.value()));
                    return super.send(record);
                }
            };

    @Test
    void measuresRoundTrips() {
        var node = new Node(0, "h", 9092);
        consumer.updatePartitions(
                "lat", List.of(new PartitionInfo("lat", 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateEndOffsets(Map.of(tp, 0L));
        var clients = new EndToEndLatency.Clients(p -> producer, p -> consumer, p -> new MockAdminClient());
        var clock = new AtomicLong();
        var r = ToolOutput.run(
                (a, o, e) -> EndToEndLatency.run(a, o, e, clients, () -> clock.addAndGet(2_000_000)),
                "h:9092",
                "lat",
                "3",
                "1",
                "10");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("0\t2.0\nAvg latency: 2.0000 ms\nPercentiles: 50th = 2, 99th = 2, 99.9th = 2\n");
    }

    @Test
    void usageErrors() {
        assertThat(ToolOutput.run(EndToEndLatency::run, "h", "t").err())
                .startsWith("USAGE: java org.apache.kafka.tools.EndToEndLatency broker_list topic num_messages");
        assertThat(ToolOutput.run(EndToEndLatency::run, "h", "t", "1", "0", "10")
                        .err())
                .isEqualTo("Latency testing requires synchronous acknowledgement. Please use 1 or all\n");
    }
}
