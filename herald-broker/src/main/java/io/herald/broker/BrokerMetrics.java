package io.herald.broker;

import io.herald.coordinator.GroupCoordinator;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.metrics.BrokerTopicMetrics;
import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.MetricNames;
import io.herald.metrics.RequestMetrics;
import io.herald.metrics.SampleFamily;
import io.herald.protocol.RequestObserver;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's measurements: request metrics through the dispatcher's observer, the ReplicaManager gauges (read from
 * the hosted partitions when an exporter asks), ISR shrinks and expands (seen in the metadata deltas of partitions this
 * broker leads), per-partition log gauges (kept in line with the hosted partitions before each export), the metadata
 * follower's offset and lag, and consumer-group lag.
 */
final class BrokerMetrics implements RequestObserver {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerMetrics.class);
    private static final long LAG_COLLECT_TIMEOUT_MS = 2_000;
    private static final List<String> LOG_GAUGES = List.of("Size", "LogStartOffset", "LogEndOffset");

    private final HeraldMetrics metrics;
    private final RequestMetrics requests;
    private final BrokerTopicMetrics topics;
    private final int nodeId;
    private ReplicaManager replicas;
    private final Set<TopicPartition> gauged = new HashSet<>();

    BrokerMetrics(HeraldMetrics metrics, int nodeId) {
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.requests = new RequestMetrics(metrics);
        this.topics = new BrokerTopicMetrics(metrics);
    }

    BrokerTopicMetrics topics() {
        return topics;
    }

    @Override
    public void received() {
        requests.received();
    }

    @Override
    public void completed(ApiKeys api, short version, long elapsedNanos, Errors error) {
        requests.completed(api.id, api.name, version, elapsedNanos, error == null ? null : error.name());
    }

    /** Registers what reads the broker's state; called once its parts exist. */
    void attach(ReplicaManager replicas, MetadataCache cache, MetadataFollower follower, GroupCoordinator groups) {
        this.replicas = replicas;
        metrics.gauge(MetricNames.PARTITION_COUNT, () -> replicas.partitions().size());
        metrics.gauge(MetricNames.LEADER_COUNT, () -> count(p -> isLeader(p) ? 1 : 0));
        metrics.gauge(
                MetricNames.UNDER_REPLICATED_PARTITIONS,
                () -> count(
                        p -> isLeader(p) && isr(p) < p.registration().replicas().size() ? 1 : 0));
        metrics.gauge(
                MetricNames.UNDER_MIN_ISR_PARTITIONS, () -> count(p -> isLeader(p) && isr(p) < minIsr(p) ? 1 : 0));
        metrics.gauge(
                MetricNames.METADATA_LAST_APPLIED_OFFSET, () -> cache.image().offset());
        metrics.gauge(MetricNames.METADATA_LAG, () -> {
            long committedEnd = follower.controllerHighWatermark();
            return committedEnd < 0
                    ? 0
                    : Math.max(0, committedEnd - 1 - cache.image().offset());
        });
        cache.subscribe(this::onMetadata);
        metrics.beforeCollect(this::reconcilePartitions);
        metrics.addFamily(new ConsumerLag(groups));
    }

    private boolean isLeader(Partition partition) {
        return partition.registration().leader() == nodeId;
    }

    private static int isr(Partition partition) {
        return partition.registration().isr().size();
    }

    private int minIsr(Partition partition) {
        try {
            return Math.min(
                    replicas.minInsyncReplicas(partition.topicPartition().topic()),
                    partition.registration().replicas().size());
        } catch (RuntimeException e) {
            return 1; // the topic went away meanwhile
        }
    }

    private long count(ToLongFunction<Partition> one) {
        long total = 0;
        for (Partition partition : replicas.partitions()) {
            total += one.applyAsLong(partition);
        }
        return total;
    }

    /** ISR changes of partitions this broker leads, as Kafka's leaders count them. */
    private void onMetadata(MetadataImage image, MetadataDelta delta) {
        for (Uuid id : delta.changedTopics()) {
            TopicImage before = delta.base().topicsById().get(id);
            if (before == null) {
                continue;
            }
            image.topic(id).ifPresent(after -> after.partitions().forEach((index, now) -> {
                PartitionRegistration was = before.partition(index);
                if (was == null || now.leader() != nodeId) {
                    return;
                }
                if (now.isr().size() < was.isr().size()) {
                    metrics.meter(MetricNames.ISR_SHRINKS).mark();
                } else if (now.isr().size() > was.isr().size()) {
                    metrics.meter(MetricNames.ISR_EXPANDS).mark();
                }
            }));
        }
        if (!delta.changedTopics().isEmpty() || !delta.deletedTopics().isEmpty()) {
            // The replica manager applied this delta first (it subscribed first): the hosted set is current.
            reconcilePartitions();
        }
    }

    /** kafka.log:type=Log gauges for exactly the partitions hosted now; topics no longer hosted lose their meters. */
    synchronized void reconcilePartitions() {
        if (replicas == null) {
            return;
        }
        Set<TopicPartition> hosted = new HashSet<>();
        Set<String> hostedTopics = new HashSet<>();
        for (Partition partition : replicas.partitions()) {
            TopicPartition tp = partition.topicPartition();
            hosted.add(tp);
            hostedTopics.add(tp.topic());
            if (gauged.add(tp)) {
                metrics.gauge(
                        MetricNames.log("Size", tp.topic(), tp.partition()),
                        () -> partition.log().sizeInBytes());
                metrics.gauge(
                        MetricNames.log("LogStartOffset", tp.topic(), tp.partition()),
                        () -> partition.log().logStartOffset());
                metrics.gauge(
                        MetricNames.log("LogEndOffset", tp.topic(), tp.partition()),
                        () -> partition.log().logEndOffset());
            }
        }
        for (TopicPartition tp : new ArrayList<>(gauged)) {
            if (!hosted.contains(tp)) {
                gauged.remove(tp);
                LOG_GAUGES.forEach(name -> metrics.remove(MetricNames.log(name, tp.topic(), tp.partition())));
            }
        }
        for (String topic : topics.topics()) {
            if (!hostedTopics.contains(topic)) {
                topics.removeTopic(topic);
            }
        }
    }

    /**
     * Consumer-group lag, computed where it is cheap and exact: for the groups this broker coordinates, for each
     * partition with a committed offset that this broker hosts, the partition's high watermark (what
     * {@code kafka-consumer-groups.sh --describe} calls LOG-END-OFFSET for read_uncommitted) minus the committed offset.
     * A cluster's series are the union over its brokers (each group is coordinated by one broker).
     */
    private final class ConsumerLag implements SampleFamily {
        private final GroupCoordinator groups;

        ConsumerLag(GroupCoordinator groups) {
            this.groups = groups;
        }

        @Override
        public String name() {
            return "herald_consumer_group_lag_records";
        }

        @Override
        public String help() {
            return "Records between a consumer group's committed offset and the partition's high watermark, for the "
                    + "groups this broker coordinates and the partitions it hosts";
        }

        @Override
        public List<String> labelNames() {
            return List.of("group", "topic", "partition");
        }

        @Override
        public List<Sample> collect() {
            Map<String, Map<TopicPartition, Long>> committed = new java.util.TreeMap<>();
            try {
                GroupCoordinator.ListedGroups listed =
                        groups.listGroups(null, null).get(LAG_COLLECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                for (var group : listed.groups()) {
                    GroupCoordinator.FetchedOffsets offsets = groups.fetchOffsets(group.groupId(), null, null, -1)
                            .get(LAG_COLLECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    Map<TopicPartition, Long> byPartition = new java.util.LinkedHashMap<>();
                    offsets.offsets().forEach((tp, o) -> {
                        if (o != null) {
                            byPartition.put(tp, o.offset());
                        }
                    });
                    committed.put(group.groupId(), byPartition);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("Consumer-group lag not collected: {}", e.toString());
            }
            return lagSamples(committed, tp -> replicas.leaderLog(tp.topic(), tp.partition())
                    .map(log -> log.highWatermark()));
        }
    }

    /**
     * Lag per group and partition: the partition's high watermark minus the committed offset, never negative (a
     * commit can run ahead of a high watermark that truncation moved back); partitions not hosted here and commits
     * without an offset (-1) are left out.
     */
    static List<SampleFamily.Sample> lagSamples(
            Map<String, Map<TopicPartition, Long>> committed,
            java.util.function.Function<TopicPartition, java.util.Optional<Long>> highWatermark) {
        List<SampleFamily.Sample> samples = new ArrayList<>();
        committed.forEach((group, offsets) -> offsets.forEach((tp, offset) -> {
            if (offset == null || offset < 0) {
                return;
            }
            highWatermark
                    .apply(tp)
                    .ifPresent(hw -> samples.add(new SampleFamily.Sample(
                            List.of(group, tp.topic(), Integer.toString(tp.partition())), Math.max(0, hw - offset))));
        }));
        return samples;
    }
}
