package io.herald.metrics;

/** The Kafka MBean names Herald measures under, in one place (Kafka's monitoring docs list them). */
public final class MetricNames {
    public static final String SERVER = "kafka.server";
    public static final String NETWORK = "kafka.network";
    public static final String CONTROLLER = "kafka.controller";
    public static final String LOG = "kafka.log";
    /** Measurements Kafka has no MBean for. */
    public static final String HERALD = "io.herald";

    public static final String BROKER_TOPIC_METRICS = "BrokerTopicMetrics";
    public static final String REPLICA_MANAGER = "ReplicaManager";
    public static final String KAFKA_CONTROLLER = "KafkaController";

    /**
     * Requests received and not yet answered, long-polls included: not Kafka's RequestQueueSize (requests waiting for
     * a handler thread, which Herald does not have), so not under its name.
     */
    public static final MetricName REQUESTS_IN_FLIGHT = MetricName.of(HERALD, "Requests", "InFlight");

    public static final MetricName UNDER_REPLICATED_PARTITIONS =
            MetricName.of(SERVER, REPLICA_MANAGER, "UnderReplicatedPartitions");
    public static final MetricName UNDER_MIN_ISR_PARTITIONS =
            MetricName.of(SERVER, REPLICA_MANAGER, "UnderMinIsrPartitionCount");
    public static final MetricName PARTITION_COUNT = MetricName.of(SERVER, REPLICA_MANAGER, "PartitionCount");
    public static final MetricName LEADER_COUNT = MetricName.of(SERVER, REPLICA_MANAGER, "LeaderCount");
    public static final MetricName OFFLINE_REPLICAS = MetricName.of(SERVER, REPLICA_MANAGER, "OfflineReplicaCount");
    public static final MetricName ISR_SHRINKS = MetricName.of(SERVER, REPLICA_MANAGER, "IsrShrinksPerSec");
    public static final MetricName ISR_EXPANDS = MetricName.of(SERVER, REPLICA_MANAGER, "IsrExpandsPerSec");

    public static final MetricName ACTIVE_CONTROLLER_COUNT =
            MetricName.of(CONTROLLER, KAFKA_CONTROLLER, "ActiveControllerCount");
    public static final MetricName OFFLINE_PARTITIONS =
            MetricName.of(CONTROLLER, KAFKA_CONTROLLER, "OfflinePartitionsCount");
    public static final MetricName GLOBAL_PARTITION_COUNT =
            MetricName.of(CONTROLLER, KAFKA_CONTROLLER, "GlobalPartitionCount");
    public static final MetricName GLOBAL_TOPIC_COUNT = MetricName.of(CONTROLLER, KAFKA_CONTROLLER, "GlobalTopicCount");
    public static final MetricName CONTROLLER_LAST_APPLIED_OFFSET =
            MetricName.of(CONTROLLER, KAFKA_CONTROLLER, "LastAppliedRecordOffset");

    public static final MetricName METADATA_LAST_APPLIED_OFFSET =
            MetricName.of(HERALD, "BrokerMetadata", "LastAppliedRecordOffset");
    public static final MetricName METADATA_LAG = MetricName.of(HERALD, "BrokerMetadata", "MetadataLagRecords");

    /** The request-handler threads' idle share, 0 to 1 (Kafka's meter of the same name reads the same ratio). */
    public static final MetricName REQUEST_HANDLER_IDLE =
            MetricName.of(SERVER, "KafkaRequestHandlerPool", "RequestHandlerAvgIdlePercent");
    /** Requests read and waiting for a handler thread (queued.max.requests bounds it). */
    public static final MetricName REQUEST_QUEUE_SIZE = MetricName.of(NETWORK, "RequestChannel", "RequestQueueSize");
    /** Bytes of requests read and not yet answered (queued.max.request.bytes bounds it), and the room left. */
    public static final MetricName MEMORY_POOL_USED = MetricName.of(NETWORK, "SocketServer", "MemoryPoolUsed");

    public static final MetricName MEMORY_POOL_AVAILABLE =
            MetricName.of(NETWORK, "SocketServer", "MemoryPoolAvailable");

    private MetricNames() {}

    public static MetricName requestsPerSec(String request, short version) {
        return MetricName.of(
                NETWORK, "RequestMetrics", "RequestsPerSec", "request", request, "version", Short.toString(version));
    }

    public static MetricName requestTotalTime(String request) {
        return MetricName.of(NETWORK, "RequestMetrics", "TotalTimeMs", "request", request);
    }

    public static MetricName requestErrors(String request, String error) {
        return MetricName.of(NETWORK, "RequestMetrics", "ErrorsPerSec", "request", request, "error", error);
    }

    /** A BrokerTopicMetrics meter: all topics when {@code topic} is null. */
    public static MetricName brokerTopic(String name, String topic) {
        return topic == null
                ? MetricName.of(SERVER, BROKER_TOPIC_METRICS, name)
                : MetricName.of(SERVER, BROKER_TOPIC_METRICS, name, "topic", topic);
    }

    public static MetricName log(String name, String topic, int partition) {
        return MetricName.of(LOG, "Log", name, "topic", topic, "partition", Integer.toString(partition));
    }
}
