package io.herald.bench.compare;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The consumer-group workload: a group of {@code members} Java consumers over one topic of {@code partitions}
 * partitions, all in this JVM (one thread each, the same kafka-clients for both brokers). It measures three things,
 * each from the clients' side:
 *
 * <ol>
 *   <li><b>join to all assigned</b>: the clock starts when every consumer has been constructed and they all subscribe at
 *       once, and stops when the assignment is final: every partition owned by exactly one member and every member
 *       holding its fair share ({@code partitions / members}, rounded down or up);
 *   <li><b>offset commits/s</b>: every member then calls {@code commitSync} of all its partitions in a loop for a fixed
 *       time; the figure is commit requests answered per second across the group, with the p99 of their latency;
 *   <li><b>rebalance after a leave</b>: one member closes (sending LeaveGroup, or the leave heartbeat of KIP-848) and the
 *       clock stops when the others again own every partition, balanced.
 * </ol>
 *
 * Both figures of time include the clients' own intervals (heartbeats, the classic protocol's rejoin round trips), as
 * a user sees them; the broker defaults that shape them (heartbeat intervals, session timeouts) are Kafka's on both.
 */
final class GroupBench {
    /** How long any one phase may take before the run is reported as failed. */
    private static final long PHASE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(180);

    /** Short polls keep commit requests and rebalance callbacks close to the moment they are due. */
    private static final long POLL_MILLIS = 10;

    /** The figures of one run; a phase that failed is NaN. */
    record Result(double joinMs, double commitsPerSec, double commitP99Ms, double leaveMs) {}

    private final String bootstrap;
    private final String topic;
    private final String protocol;
    private final int members;
    private final int partitions;
    private final PrintStream progress;
    /** Signalled whenever a member's state changes, so the observer measures the moment, not a polling interval. */
    private final Object changed = new Object();

    /**
     * @param protocol the consumers' {@code group.protocol}: {@code classic} (JoinGroup/SyncGroup, client-side
     *     assignors) or {@code consumer} (KIP-848, the broker assigns)
     */
    GroupBench(String bootstrap, String topic, String protocol, int members, int partitions, PrintStream progress) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.protocol = protocol;
        this.members = members;
        this.partitions = partitions;
        this.progress = progress;
    }

    Result run(String groupId, Duration commitFor) throws InterruptedException, TimeoutException {
        List<Member> group = new ArrayList<>();
        CountDownLatch constructed = new CountDownLatch(members);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < members; i++) {
            Member member = new Member(groupId, i, constructed, go);
            group.add(member);
            member.thread.start();
        }
        try {
            awaitLatch(constructed, group);
            long started = System.nanoTime();
            go.countDown();
            awaitBalanced(group, members);
            double joinMs = (System.nanoTime() - started) / 1e6;
            progress.printf(
                    "bench:   %s group of %d: all %d partitions assigned after %.0f ms%n",
                    protocol, members, partitions, joinMs);

            for (Member member : group) {
                member.commitUntilNanos = System.nanoTime() + commitFor.toNanos();
            }
            List<Long> latencies = new ArrayList<>();
            for (Member member : group) {
                latencies.addAll(member.awaitCommits());
            }
            double commitsPerSec = latencies.size() / (commitFor.toNanos() / 1e9);
            double p99Ms = percentile(latencies, 0.99) / 1e6;
            progress.printf("bench:   %s group: %.0f offset commits/s, p99 %.1f ms%n", protocol, commitsPerSec, p99Ms);

            List<Member> staying = group.subList(0, members - 1);
            Member leaving = group.get(members - 1);
            long leaveStarted = System.nanoTime();
            leaving.running = false; // its thread closes the consumer, which leaves the group
            awaitBalanced(staying, members - 1);
            double leaveMs = (System.nanoTime() - leaveStarted) / 1e6;
            progress.printf(
                    "bench:   %s group: rebalanced over %d members %.0f ms after a leave%n",
                    protocol, members - 1, leaveMs);
            return new Result(joinMs, commitsPerSec, p99Ms, leaveMs);
        } finally {
            go.countDown();
            for (Member member : group) {
                member.running = false; // all close at once rather than one rebalance after another
            }
            for (Member member : group) {
                member.stop();
            }
        }
    }

    /** Waits until {@code expected} live members own every partition exactly once, each its fair share. */
    private void awaitBalanced(List<Member> group, int expected) throws InterruptedException, TimeoutException {
        awaitCondition(group, g -> isBalanced(g, expected), "the group to own every partition, balanced");
    }

    private boolean isBalanced(List<Member> group, int expected) {
        if (group.size() != expected) {
            return false;
        }
        int low = partitions / expected;
        int high = low + (partitions % expected == 0 ? 0 : 1);
        Set<TopicPartition> owned = new HashSet<>();
        int total = 0;
        for (Member member : group) {
            Set<TopicPartition> assigned = member.assignment.get();
            if (assigned.size() < low || assigned.size() > high) {
                return false;
            }
            owned.addAll(assigned);
            total += assigned.size();
        }
        return total == partitions && owned.size() == partitions;
    }

    private void awaitLatch(CountDownLatch latch, List<Member> group) throws InterruptedException, TimeoutException {
        awaitCondition(group, g -> latch.getCount() == 0, "every consumer to be constructed");
    }

    /** Waits on the members' change signal until {@code done} holds, a member fails, or the phase times out. */
    private void awaitCondition(List<Member> group, Predicate<List<Member>> done, String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + PHASE_TIMEOUT_NANOS;
        synchronized (changed) {
            while (!done.test(group)) {
                for (Member member : group) {
                    Throwable failure = member.failure.get();
                    if (failure != null) {
                        throw new IllegalStateException(
                                "group member " + member.index + " failed: " + failure, failure);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("timed out waiting for " + what);
                }
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
        }
    }

    /** Wakes {@link #awaitCondition}: a member's assignment changed, it was constructed, or it failed. */
    private void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private static double percentile(List<Long> values, double quantile) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    /** One consumer on its own thread: subscribe, poll, publish its assignment; commit in a loop when asked. */
    private final class Member implements Runnable, ConsumerRebalanceListener {
        final int index;
        final Thread thread;
        final AtomicReference<Set<TopicPartition>> assignment = new AtomicReference<>(Set.of());
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final String groupId;
        private final CountDownLatch constructed;
        private final CountDownLatch go;
        private final CountDownLatch committed = new CountDownLatch(1);
        private final List<Long> commitLatencies = new ArrayList<>();
        volatile long commitUntilNanos;
        volatile boolean running = true;

        Member(String groupId, int index, CountDownLatch constructed, CountDownLatch go) {
            this.groupId = groupId;
            this.index = index;
            this.constructed = constructed;
            this.go = go;
            this.thread = new Thread(this, "bench-" + protocol + "-member-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config())) {
                constructed.countDown();
                signal();
                go.await();
                if (!running) {
                    return;
                }
                consumer.subscribe(List.of(topic), this);
                long offset = 0;
                while (running) {
                    consumer.poll(Duration.ofMillis(POLL_MILLIS));
                    long until = commitUntilNanos;
                    if (until != 0 && committed.getCount() > 0) {
                        offset = commitUntil(consumer, until, offset);
                        committed.countDown();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                committed.countDown();
                signal();
            }
        }

        // The rebalance callbacks run on this member's thread inside poll(), at the moment the assignment changes.
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            Set<TopicPartition> now = new HashSet<>(assignment.get());
            now.addAll(added);
            publish(now);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> removed) {
            Set<TopicPartition> now = new HashSet<>(assignment.get());
            now.removeAll(removed);
            publish(now);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            onPartitionsRevoked(lost);
        }

        private void publish(Set<TopicPartition> now) {
            assignment.set(Set.copyOf(now));
            signal();
        }

        private long commitUntil(KafkaConsumer<byte[], byte[]> consumer, long until, long firstOffset) {
            long offset = firstOffset;
            while (System.nanoTime() < until) {
                offset++;
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (TopicPartition partition : consumer.assignment()) {
                    offsets.put(partition, new OffsetAndMetadata(offset));
                }
                long started = System.nanoTime();
                consumer.commitSync(offsets);
                synchronized (commitLatencies) {
                    commitLatencies.add(System.nanoTime() - started);
                }
            }
            return offset;
        }

        List<Long> awaitCommits() throws InterruptedException, TimeoutException {
            if (!committed.await(PHASE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("member " + index + " did not finish committing");
            }
            Throwable error = failure.get();
            if (error != null) {
                throw new IllegalStateException("group member " + index + " failed: " + error, error);
            }
            synchronized (commitLatencies) {
                return List.copyOf(commitLatencies);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(TimeUnit.NANOSECONDS.toMillis(PHASE_TIMEOUT_NANOS));
        }

        private Properties config() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-" + protocol + "-" + index);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            return props;
        }
    }
}
