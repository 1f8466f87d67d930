package io.herald.metrics;

import com.codahale.metrics.Meter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Kafka's {@code kafka.server:type=BrokerTopicMetrics} meters, per topic and for all topics. An event is marked once,
 * on its topic's meter; the all-topics meters are sums over the topic meters (plus events for topics not hosted here),
 * and Prometheus exports the per-topic ones only. A topic's meters go with {@link #removeTopic} when it is no longer
 * hosted here (their counts stay in the all-topics sums).
 */
public final class BrokerTopicMetrics {
    public static final String MESSAGES_IN = "MessagesInPerSec";
    public static final String BYTES_IN = "BytesInPerSec";
    public static final String BYTES_OUT = "BytesOutPerSec";
    public static final String REPLICATION_BYTES_IN = "ReplicationBytesInPerSec";
    public static final String REPLICATION_BYTES_OUT = "ReplicationBytesOutPerSec";
    public static final String TOTAL_PRODUCE_REQUESTS = "TotalProduceRequestsPerSec";
    public static final String TOTAL_FETCH_REQUESTS = "TotalFetchRequestsPerSec";
    public static final String FAILED_PRODUCE_REQUESTS = "FailedProduceRequestsPerSec";
    public static final String FAILED_FETCH_REQUESTS = "FailedFetchRequestsPerSec";

    private final HeraldMetrics metrics;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Topic all;

    public BrokerTopicMetrics(HeraldMetrics metrics) {
        this.metrics = metrics;
        this.all = new Topic();
    }

    private Meter sum(String name, Function<Topic, Meter> meter) {
        return metrics.meter(
                MetricNames.brokerTopic(name, null),
                () -> new SumMeter(() -> topics.values().stream().map(meter).toList()));
    }

    /** One topic's meters (each marking also marks the all-topics meter). */
    public final class Topic {
        private final Meter messagesIn;
        private final Meter bytesIn;
        private final Meter bytesOut;
        private final Meter replicationBytesIn;
        private final Meter replicationBytesOut;
        private final Meter produceRequests;
        private final Meter fetchRequests;
        private final Meter failedProduce;
        private final Meter failedFetch;

        /** One topic's meters. */
        private Topic(String topic) {
            this.messagesIn = metrics.meter(MetricNames.brokerTopic(MESSAGES_IN, topic));
            this.bytesIn = metrics.meter(MetricNames.brokerTopic(BYTES_IN, topic));
            this.bytesOut = metrics.meter(MetricNames.brokerTopic(BYTES_OUT, topic));
            this.replicationBytesIn = metrics.meter(MetricNames.brokerTopic(REPLICATION_BYTES_IN, topic));
            this.replicationBytesOut = metrics.meter(MetricNames.brokerTopic(REPLICATION_BYTES_OUT, topic));
            this.produceRequests = metrics.meter(MetricNames.brokerTopic(TOTAL_PRODUCE_REQUESTS, topic));
            this.fetchRequests = metrics.meter(MetricNames.brokerTopic(TOTAL_FETCH_REQUESTS, topic));
            this.failedProduce = metrics.meter(MetricNames.brokerTopic(FAILED_PRODUCE_REQUESTS, topic));
            this.failedFetch = metrics.meter(MetricNames.brokerTopic(FAILED_FETCH_REQUESTS, topic));
        }

        /** The all-topics meters: each the sum of that meter over the topics. */
        private Topic() {
            this.messagesIn = sum(MESSAGES_IN, t -> t.messagesIn);
            this.bytesIn = sum(BYTES_IN, t -> t.bytesIn);
            this.bytesOut = sum(BYTES_OUT, t -> t.bytesOut);
            this.replicationBytesIn = sum(REPLICATION_BYTES_IN, t -> t.replicationBytesIn);
            this.replicationBytesOut = sum(REPLICATION_BYTES_OUT, t -> t.replicationBytesOut);
            this.produceRequests = sum(TOTAL_PRODUCE_REQUESTS, t -> t.produceRequests);
            this.fetchRequests = sum(TOTAL_FETCH_REQUESTS, t -> t.fetchRequests);
            this.failedProduce = sum(FAILED_PRODUCE_REQUESTS, t -> t.failedProduce);
            this.failedFetch = sum(FAILED_FETCH_REQUESTS, t -> t.failedFetch);
        }

        private List<Meter> meters() {
            return List.of(
                    messagesIn,
                    bytesIn,
                    bytesOut,
                    replicationBytesIn,
                    replicationBytesOut,
                    produceRequests,
                    fetchRequests,
                    failedProduce,
                    failedFetch);
        }

        /** A client's produce to one partition of this topic: records and bytes appended, or a failure. */
        public void produced(int records, long bytes, boolean failed) {
            produceRequests.mark();
            if (failed) {
                failedProduce.mark();
            } else {
                messagesIn.mark(records);
                bytesIn.mark(bytes);
            }
        }

        /** A fetch of one partition of this topic: by a consumer or by a follower replica. */
        public void fetched(long bytes, boolean replica, boolean failed) {
            fetchRequests.mark();
            if (failed) {
                failedFetch.mark();
            } else if (replica) {
                replicationBytesOut.mark(bytes);
            } else {
                bytesOut.mark(bytes);
            }
        }

        /** Bytes a follower replica of this topic appended from its leader. */
        public void replicatedIn(long bytes) {
            replicationBytesIn.mark(bytes);
        }
    }

    public Topic topic(String topic) {
        Topic found = topics.get(topic);
        return found != null ? found : topics.computeIfAbsent(topic, Topic::new);
    }

    /** The meters of all topics together. */
    public Topic allTopics() {
        return all;
    }

    /**
     * A topic's meters when they exist (its partitions are hosted here), else the all-topics ones: requests naming
     * topics this broker does not host never create series.
     */
    public Topic hostedOrAll(String topic) {
        Topic found = topic == null ? null : topics.get(topic);
        return found != null ? found : all;
    }

    public java.util.Set<String> topics() {
        return java.util.Set.copyOf(topics.keySet());
    }

    /** Drops a topic's meters: its series disappear from both exporters. */
    public void removeTopic(String topic) {
        Topic removed = topics.remove(topic);
        if (removed != null) {
            List<Meter> sums = all.meters();
            List<Meter> parts = removed.meters();
            for (int i = 0; i < sums.size(); i++) {
                if (sums.get(i) instanceof SumMeter sum) {
                    sum.retire(parts.get(i));
                }
            }
            metrics.removeIf(n -> n.type().equals(MetricNames.BROKER_TOPIC_METRICS)
                    && topic.equals(n.tags().get("topic")));
        }
    }
}
