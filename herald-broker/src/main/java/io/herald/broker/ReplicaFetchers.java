package io.herald.broker;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The follower side of every partition this broker follows: one {@link ReplicaFetcher} per (leader, fetcher index),
 * with {@code num.replica.fetchers} fetchers per leader and each partition always on the same one. Fetchers with
 * nothing left to follow are closed.
 */
final class ReplicaFetchers implements AutoCloseable {
    private final int nodeId;
    private final ReplicationSettings settings;
    private final LongSupplier brokerEpoch;
    private final ReplicationQuota quota;
    private final Consumer<TopicPartition> appended;
    private final Map<Key, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, Key> assigned = new HashMap<>();

    private record Key(int leaderId, InetSocketAddress address, int index) {}

    ReplicaFetchers(
            int nodeId,
            ReplicationSettings settings,
            LongSupplier brokerEpoch,
            ReplicationQuota quota,
            Consumer<TopicPartition> appended) {
        this.nodeId = nodeId;
        this.quota = quota;
        this.appended = appended;
        this.settings = settings;
        this.brokerEpoch = brokerEpoch;
    }

    synchronized void follow(Partition partition, int leaderId, int leaderEpoch, InetSocketAddress address) {
        TopicPartition tp = partition.topicPartition();
        Key key = new Key(
                leaderId, address, Math.floorMod(Objects.hash(tp.topic(), tp.partition()), settings.numFetchers()));
        Key old = assigned.put(tp, key);
        if (old != null && !old.equals(key)) {
            detach(tp, old);
        }
        fetchers.computeIfAbsent(
                        key,
                        k -> new ReplicaFetcher(
                                nodeId, k.leaderId(), k.address(), k.index(), settings, brokerEpoch, quota, appended))
                .follow(partition, leaderEpoch);
    }

    synchronized void remove(TopicPartition tp) {
        Key old = assigned.remove(tp);
        if (old != null) {
            detach(tp, old);
        }
    }

    private void detach(TopicPartition tp, Key key) {
        ReplicaFetcher fetcher = fetchers.get(key);
        if (fetcher == null) {
            return;
        }
        fetcher.remove(tp);
        if (!assigned.containsValue(key)) {
            fetchers.remove(key);
            fetcher.close();
        }
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(ReplicaFetcher::close);
        fetchers.clear();
        assigned.clear();
    }
}
