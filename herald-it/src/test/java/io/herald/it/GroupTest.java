package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups with the official Java consumer, in both protocols (classic and KIP-848 "consumer"): members share a
 * topic's partitions, take over from a member that leaves or dies, and with commits after processing no record is
 * skipped.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GroupTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = groupNode(dataDir);
        node.start();
        admin = Admin.create(node.adminConfig());
    }

    /** A combined node with group timers short enough for tests (Kafka's shipped files keep the defaults). */
    static TestNode groupNode(Path dir) {
        TestNode n = TestNode.combined(dir);
        n.properties().put("offsets.topic.replication.factor", "1");
        n.properties().put("offsets.topic.num.partitions", "10");
        n.properties().put("group.initial.rebalance.delay.ms", "0");
        n.properties().put("group.min.session.timeout.ms", "1000");
        n.properties().put("group.consumer.session.timeout.ms", "4000");
        n.properties().put("group.consumer.heartbeat.interval.ms", "300");
        return n;
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static Properties consumerConfig(String groupId, String protocol) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // "classic-cooperative": the classic protocol with the client-side cooperative (incremental) assignor.
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol.startsWith("classic") ? "classic" : protocol);
        if (protocol.equals("classic-cooperative")) {
            config.put(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        }
        if (protocol.startsWith("classic")) {
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "4000");
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "300");
        }
        return config;
    }

    static void produce(String topic, int from, int to) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    static Set<String> values(int from, int to) {
        Set<String> values = new HashSet<>();
        for (int i = from; i < to; i++) {
            values.add("v" + i);
        }
        return values;
    }

    static void awaitAssignments(List<GroupMemberLoop> members, int... sizes) {
        awaitAssignments(members, null, sizes);
    }

    /** Waits until the members hold these numbers of partitions (the process, if any, holding the last number). */
    static void awaitAssignments(List<GroupMemberLoop> members, ConsumerProcess process, int... sizes) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Integer> actual = new ArrayList<>();
            Set<TopicPartition> all = new HashSet<>();
            for (GroupMemberLoop m : members) {
                assertThat(m.failures()).isEmpty();
                actual.add(m.assignment().size());
                all.addAll(m.assignment());
            }
            int inProcess = process == null ? 0 : process.assignedPartitions();
            if (process != null) {
                actual.add(inProcess);
            }
            assertThat(actual)
                    .containsExactly(java.util.Arrays.stream(sizes).boxed().toArray(Integer[]::new));
            assertThat(all.size() + inProcess)
                    .isEqualTo(java.util.Arrays.stream(sizes).sum());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "classic-cooperative", "consumer"})
    void membersSharePartitionsAndTakeOverFromLeaversAndCrashes(String protocol) throws Exception {
        String topic = "shared-" + protocol;
        String group = "group-" + protocol;
        admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        produce(topic, 0, 300);
        Set<String> processed = GroupMemberLoop.newProcessedSet();
        GroupMemberLoop a = new GroupMemberLoop(consumerConfig(group, protocol), topic, processed, "a");
        ConsumerProcess b = new ConsumerProcess(consumerConfig(group, protocol), topic, processed);
        GroupMemberLoop c = new GroupMemberLoop(consumerConfig(group, protocol), topic, processed, "c");
        try {
            awaitAssignments(List.of(a, c), b, 2, 2, 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> processed.containsAll(values(0, 300)));

            c.close();
            awaitAssignments(List.of(a), b, 3, 3);
            produce(topic, 300, 600);
            await().atMost(Duration.ofSeconds(60)).until(() -> processed.containsAll(values(0, 600)));

            b.kill();
            awaitAssignments(List.of(a), 6);
            produce(topic, 600, 900);
            await().atMost(Duration.ofSeconds(60)).until(() -> processed.containsAll(values(0, 900)));
            assertThat(a.failures()).isEmpty();
        } finally {
            a.close();
            b.close();
            c.close();
        }
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < 6; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        Map<TopicPartition, Long> committed = new java.util.HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((tp, om) -> committed.put(tp, om.offset()));
        assertThat(committed).isEqualTo(ends);
    }

    @org.junit.jupiter.api.Test
    void aServerSideRegexSubscriptionGetsTheMatchingTopics() throws Exception {
        admin.createTopics(List.of(
                        new NewTopic("regex-a", 2, (short) 1),
                        new NewTopic("regex-b", 3, (short) 1),
                        new NewTopic("unrelated", 2, (short) 1)))
                .all()
                .get();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(consumerConfig("regex-group", "consumer"))) {
            consumer.subscribe(new org.apache.kafka.clients.consumer.SubscriptionPattern("regex-.*"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 5;
            });
            assertThat(consumer.assignment()).allMatch(tp -> tp.topic().startsWith("regex-"));
        }
    }
}
