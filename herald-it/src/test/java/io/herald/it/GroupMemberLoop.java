package io.herald.it;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A group member on its own thread, as an application runs one: subscribe, poll, process (remember the value), commit
 * synchronously after processing. Stops by leaving the group, or "crashes" by closing without leaving.
 */
final class GroupMemberLoop implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Set<String> processed;
    private final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
    private final CopyOnWriteArrayList<Throwable> failures = new CopyOnWriteArrayList<>();
    /** Counts assignment callbacks, to tell whether a rebalance happened. */
    final java.util.concurrent.atomic.AtomicInteger rebalances = new java.util.concurrent.atomic.AtomicInteger();

    private volatile boolean running = true;
    private volatile boolean leaveOnClose = true;

    GroupMemberLoop(Properties config, String topic, Set<String> processed, String name) {
        this.consumer = new KafkaConsumer<>(config);
        this.processed = processed;
        this.thread = new Thread(() -> run(topic), name);
        thread.setDaemon(true);
        thread.start();
    }

    static Set<String> newProcessedSet() {
        return ConcurrentHashMap.newKeySet();
    }

    private void run(String topic) {
        try {
            consumer.subscribe(java.util.List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assignment.set(Set.copyOf(consumer.assignment()));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    rebalances.incrementAndGet();
                    assignment.set(Set.copyOf(consumer.assignment()));
                }
            });
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> record : records) {
                    processed.add(record.value());
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
                assignment.set(Set.copyOf(consumer.assignment()));
            }
        } catch (Throwable t) {
            failures.add(t);
        } finally {
            consumer.close(
                    leaveOnClose
                            ? CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.DEFAULT)
                            : CloseOptions.groupMembershipOperation(
                                    CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
        }
    }

    Set<TopicPartition> assignment() {
        return assignment.get();
    }

    java.util.List<Throwable> failures() {
        return failures;
    }

    /** Stops polling and closes without a LeaveGroup: the coordinator finds out when the session expires. */
    void crash() throws InterruptedException {
        leaveOnClose = false;
        running = false;
        thread.join(30_000);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
