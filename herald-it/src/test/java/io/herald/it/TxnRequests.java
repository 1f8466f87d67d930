package io.herald.it;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Drives transactions by hand over one connection, as a transaction coordinator and a transactional producer would:
 * transactional Produce batches for a producer id and epoch, then WriteTxnMarkers to commit or abort them.
 */
final class TxnRequests implements AutoCloseable {
    private final RawClient raw;

    TxnRequests(String bootstrapServers) throws IOException {
        this.raw = new RawClient(bootstrapServers);
    }

    /**
     * Produces {@code values} as one transactional batch (acks=all); returns the partition's error. A partition whose
     * leadership has not reached the broker yet (a topic just created) is retried for up to 30 s.
     */
    Errors produce(String topic, int partition, long producerId, short epoch, int sequence, String... values)
            throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Errors error = produceOnce(topic, partition, producerId, epoch, sequence, values);
            boolean notYet = error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.UNKNOWN_TOPIC_OR_PARTITION;
            if (!notYet || System.nanoTime() > deadline) {
                return error;
            }
            try {
                Thread.sleep(50); // a retry pace, not a synchronization: the loop ends on the answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error;
            }
        }
    }

    private Errors produceOnce(
            String topic, int partition, long producerId, short epoch, int sequence, String... values)
            throws IOException {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes());
        }
        ProduceRequestData request = new ProduceRequestData()
                .setAcks((short) -1)
                .setTimeoutMs(30_000)
                .setTransactionalId("txn-" + producerId);
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(MemoryRecords.withTransactionalRecords(
                                Compression.NONE, producerId, epoch, sequence, records)));
        request.topicData().add(data);
        ProduceResponseData response = raw.call(ApiKeys.PRODUCE, 11, request);
        return Errors.forCode(response.responses()
                .iterator()
                .next()
                .partitionResponses()
                .get(0)
                .errorCode());
    }

    /** Writes a COMMIT ({@code commit}) or ABORT marker to {@code partitions} of {@code topic}; returns each error. */
    List<Errors> marker(
            String topic, long producerId, short epoch, int coordinatorEpoch, boolean commit, int... partitions)
            throws IOException {
        WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(producerId)
                .setProducerEpoch(epoch)
                .setCoordinatorEpoch(coordinatorEpoch)
                .setTransactionResult(commit);
        WriteTxnMarkersRequestData.WritableTxnMarkerTopic markerTopic =
                new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic);
        for (int p : partitions) {
            markerTopic.partitionIndexes().add(p);
        }
        marker.topics().add(markerTopic);
        WriteTxnMarkersResponseData response =
                raw.call(ApiKeys.WRITE_TXN_MARKERS, 1, new WriteTxnMarkersRequestData().setMarkers(List.of(marker)));
        List<Errors> errors = new ArrayList<>();
        response.markers().get(0).topics().get(0).partitions().forEach(r -> errors.add(Errors.forCode(r.errorCode())));
        return errors;
    }

    static KafkaConsumer<String, String> consumer(String bootstrapServers, boolean readCommitted) {
        return consumer(bootstrapServers, readCommitted, Map.of());
    }

    static KafkaConsumer<String, String> consumer(
            String bootstrapServers, boolean readCommitted, Map<String, String> overrides) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        config.putAll(overrides);
        return new KafkaConsumer<>(config);
    }

    /**
     * Reads {@code tp} from the beginning until {@code done} holds for the values read, or 30 s passed; returns the
     * values read so far either way.
     */
    static List<String> readUntil(
            KafkaConsumer<String, String> consumer, TopicPartition tp, Predicate<List<String>> done) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.test(values) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                values.add(r.value());
            }
        }
        return values;
    }

    /** The next offset a consumer of this isolation would read after the log's end (LATEST: HW or LSO). */
    static long endOffset(KafkaConsumer<String, String> consumer, TopicPartition tp) {
        return consumer.endOffsets(List.of(tp), Duration.ofSeconds(15)).get(tp);
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
