package io.herald.http;

import io.herald.metrics.MetricName;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka MBean names to Prometheus names: one row per measurement, with the unit in the name ({@code _bytes},
 * {@code _seconds}; counters get {@code _total} from the exposition library) and the MBean's tags as labels. A
 * measurement without a row gets a name made from its type and name, so none is dropped unseen; the all-topics
 * BrokerTopicMetrics meters are not exported (the per-topic series sum to them).
 */
public final class PrometheusNames {
    /** A Prometheus family: base name (no {@code _total}) and help text. */
    public record Target(String name, String help) {}

    private static final Map<String, Target> ROWS = Map.ofEntries(
            row("BrokerTopicMetrics", "MessagesInPerSec", "herald_topic_messages_in", "Records appended by producers"),
            row("BrokerTopicMetrics", "BytesInPerSec", "herald_topic_bytes_in", "Bytes appended by producers"),
            row("BrokerTopicMetrics", "BytesOutPerSec", "herald_topic_bytes_out", "Bytes sent to consumers"),
            row(
                    "BrokerTopicMetrics",
                    "ReplicationBytesInPerSec",
                    "herald_topic_replication_bytes_in",
                    "Bytes a follower appended from its leader"),
            row(
                    "BrokerTopicMetrics",
                    "ReplicationBytesOutPerSec",
                    "herald_topic_replication_bytes_out",
                    "Bytes sent to follower replicas"),
            row(
                    "BrokerTopicMetrics",
                    "TotalProduceRequestsPerSec",
                    "herald_topic_produce_requests",
                    "Produce requests, counted per partition"),
            row(
                    "BrokerTopicMetrics",
                    "TotalFetchRequestsPerSec",
                    "herald_topic_fetch_requests",
                    "Fetch requests (consumers and followers), counted per partition"),
            row(
                    "BrokerTopicMetrics",
                    "FailedProduceRequestsPerSec",
                    "herald_topic_failed_produce_requests",
                    "Produce requests answered with an error, counted per partition"),
            row(
                    "BrokerTopicMetrics",
                    "FailedFetchRequestsPerSec",
                    "herald_topic_failed_fetch_requests",
                    "Fetch requests answered with an error, counted per partition"),
            row("RequestMetrics", "RequestsPerSec", "herald_requests", "Requests answered, per API and version"),
            row("RequestMetrics", "ErrorsPerSec", "herald_request_errors", "Requests that failed as a whole"),
            row(
                    "RequestMetrics",
                    "TotalTimeMs",
                    "herald_request_total_time_seconds",
                    "Time from receiving a request to its response being ready (last ~5 minutes)"),
            row(
                    "Requests",
                    "InFlight",
                    "herald_requests_in_flight",
                    "Requests received, not answered (long-polls included)"),
            row(
                    "KafkaRequestHandlerPool",
                    "RequestHandlerAvgIdlePercent",
                    "herald_request_handler_idle_ratio",
                    "Share of request-handler thread time spent idle since the previous read (0 to 1)"),
            row(
                    "RequestChannel",
                    "RequestQueueSize",
                    "herald_request_queue_size",
                    "Requests read and waiting for a request-handler thread"),
            row(
                    "SocketServer",
                    "MemoryPoolUsed",
                    "herald_request_memory_used_bytes",
                    "Bytes of requests read and not yet answered (queued.max.request.bytes bounds them)"),
            row(
                    "SocketServer",
                    "MemoryPoolAvailable",
                    "herald_request_memory_available_bytes",
                    "Room left for requests before the broker stops reading"),
            row(
                    "ReplicaManager",
                    "UnderReplicatedPartitions",
                    "herald_under_replicated_partitions",
                    "Partitions led here whose ISR is smaller than their replica set"),
            row(
                    "ReplicaManager",
                    "UnderMinIsrPartitionCount",
                    "herald_under_min_isr_partitions",
                    "Partitions led here whose ISR is below min.insync.replicas"),
            row("ReplicaManager", "PartitionCount", "herald_partitions", "Partitions hosted here"),
            row("ReplicaManager", "LeaderCount", "herald_leader_partitions", "Partitions led here"),
            row("ReplicaManager", "IsrShrinksPerSec", "herald_isr_shrinks", "ISR shrinks of partitions led here"),
            row("ReplicaManager", "IsrExpandsPerSec", "herald_isr_expands", "ISR expansions of partitions led here"),
            row(
                    "KafkaController",
                    "ActiveControllerCount",
                    "herald_controller_active",
                    "1 on the active controller, else 0"),
            row(
                    "KafkaController",
                    "OfflinePartitionsCount",
                    "herald_offline_partitions",
                    "Partitions without a leader (active controller only)"),
            row("KafkaController", "GlobalPartitionCount", "herald_cluster_partitions", "Partitions in the cluster"),
            row("KafkaController", "GlobalTopicCount", "herald_cluster_topics", "Topics in the cluster"),
            row(
                    "KafkaController",
                    "LastAppliedRecordOffset",
                    "herald_controller_last_applied_offset",
                    "Metadata log offset the controller applied last"),
            row(
                    "BrokerMetadata",
                    "LastAppliedRecordOffset",
                    "herald_metadata_last_applied_offset",
                    "Metadata log offset this broker applied last"),
            row(
                    "BrokerMetadata",
                    "MetadataLagRecords",
                    "herald_metadata_lag_records",
                    "Committed metadata records this broker has not applied yet"),
            row("Log", "Size", "herald_log_size_bytes", "Bytes of a partition's log on disk"),
            row("Log", "LogStartOffset", "herald_log_start_offset", "A partition's log start offset"),
            row("Log", "LogEndOffset", "herald_log_end_offset", "A partition's log end offset"));

    private PrometheusNames() {}

    private static Map.Entry<String, Target> row(String type, String name, String prometheusName, String help) {
        return Map.entry(type + "/" + name, new Target(prometheusName, help));
    }

    /** Every Prometheus family name of the table (without the {@code _total} counters get). */
    public static java.util.Set<String> names() {
        return ROWS.values().stream().map(Target::name).collect(java.util.stream.Collectors.toSet());
    }

    /** The Prometheus family of a measurement, or empty for one not exported. */
    public static Optional<Target> of(MetricName name) {
        if (name.type().equals("BrokerTopicMetrics") && !name.tags().containsKey("topic")) {
            return Optional.empty();
        }
        Target row = ROWS.get(name.type() + "/" + name.name());
        if (row != null) {
            return Optional.of(row);
        }
        return Optional.of(new Target(
                "herald_" + snake(name.type()) + "_" + snake(name.name()),
                name.mbeanName() + " (no Prometheus name of its own yet)"));
    }

    /** {@code UnderReplicatedPartitions} -> {@code under_replicated_partitions}; other characters become '_'. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(camel.charAt(i - 1))) {
                sb.append('_');
            }
            sb.append(Character.isLetterOrDigit(c) ? c : '_');
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
