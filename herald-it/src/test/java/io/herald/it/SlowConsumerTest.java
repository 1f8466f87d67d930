package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that stops polling but keeps heartbeating keeps its partitions until {@code max.poll.interval.ms}: its
 * session stays alive, and a rebalance started meanwhile waits up to the rebalance timeout for its rejoin. Only when
 * its client gives up (leaves the group after the poll interval) does the partition move.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SlowConsumerTest {
    private static final long MAX_POLL_INTERVAL_MS = 10_000;

    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir).start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("slow", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aMemberThatStopsPollingKeepsItsPartitionUntilItsPollIntervalRunsOut() throws Exception {
        TopicPartition partition = new TopicPartition("slow", 0);
        try (Member a = new Member("a");
                Member b = new Member("b");
                Admin admin = Admin.create(node.adminConfig())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var group = admin.describeConsumerGroups(List.of("slow-group"))
                        .all()
                        .get(10, TimeUnit.SECONDS)
                        .get("slow-group");
                return group.groupState() == GroupState.STABLE
                        && group.members().size() == 2
                        && (a.owns(partition) ^ b.owns(partition));
            });
            Member owner = a.owns(partition) ? a : b;
            Member other = owner == a ? b : a;
            other.forgetPastOwnership(); // it may have held the partition before the group settled
            long lastPoll = owner.pause();
            // A third member joins while the owner does not poll: the rebalance must wait for the owner's rejoin.
            try (Member c = new Member("c")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> other.owns(partition) || c.owns(partition));
                long movedAt = Math.min(other.firstOwnedNanos(partition), c.firstOwnedNanos(partition));
                assertThat(TimeUnit.NANOSECONDS.toMillis(movedAt - lastPoll))
                        .as("the partition moved before the owner's max.poll.interval.ms ran out")
                        .isGreaterThanOrEqualTo(MAX_POLL_INTERVAL_MS - 500);
            }
        }
    }

    /** A consumer polling on its own thread until paused; remembers when it first owned each partition. */
    private static final class Member implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private final CountDownLatch paused = new CountDownLatch(1);
        private final CountDownLatch closing = new CountDownLatch(1);
        private final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
        private final AtomicLong lastPollNanos = new AtomicLong();
        private final java.util.Map<TopicPartition, Long> firstOwned = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean pauseRequested;

        Member(String name) {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "slow-group");
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
            config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(MAX_POLL_INTERVAL_MS));
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(this::run, "member-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            consumer.subscribe(List.of("slow"));
            while (!pauseRequested && closing.getCount() > 0) {
                consumer.poll(Duration.ofMillis(100));
                lastPollNanos.set(System.nanoTime());
                Set<TopicPartition> now = Set.copyOf(consumer.assignment());
                long at = System.nanoTime();
                now.forEach(tp -> firstOwned.putIfAbsent(tp, at));
                assignment.set(now);
            }
            paused.countDown();
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }

        boolean owns(TopicPartition partition) {
            return assignment.get().contains(partition);
        }

        void forgetPastOwnership() {
            firstOwned.clear();
        }

        long firstOwnedNanos(TopicPartition partition) {
            return firstOwned.getOrDefault(partition, Long.MAX_VALUE);
        }

        /** Stops polling (heartbeats go on in the client's own thread); returns when the last poll returned. */
        long pause() throws InterruptedException {
            pauseRequested = true;
            assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
            return lastPollNanos.get();
        }

        @Override
        public void close() throws InterruptedException {
            closing.countDown();
            pauseRequested = true;
            thread.join(30_000);
        }
    }
}
