package io.herald.server;

import io.herald.controller.QuorumController;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import io.herald.metadata.TopicImage;
import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.MetricNames;

/**
 * Kafka's {@code kafka.controller:type=KafkaController} gauges, read from the controller's applied image when asked. As
 * in Kafka, the cluster-wide counts are reported by the active controller only (0 elsewhere), so summing over nodes
 * gives the cluster's value.
 */
final class ControllerMetrics {
    private ControllerMetrics() {}

    static void register(HeraldMetrics metrics, QuorumController controller) {
        metrics.gauge(MetricNames.ACTIVE_CONTROLLER_COUNT, () -> controller.isActive() ? 1 : 0);
        metrics.gauge(
                MetricNames.GLOBAL_TOPIC_COUNT,
                () -> controller.isActive() ? controller.image().topicsById().size() : 0);
        metrics.gauge(
                MetricNames.GLOBAL_PARTITION_COUNT,
                () -> controller.isActive() ? partitions(controller.image(), false) : 0);
        metrics.gauge(
                MetricNames.OFFLINE_PARTITIONS, () -> controller.isActive() ? partitions(controller.image(), true) : 0);
        metrics.gauge(
                MetricNames.CONTROLLER_LAST_APPLIED_OFFSET,
                () -> controller.image().offset());
    }

    private static long partitions(MetadataImage image, boolean offlineOnly) {
        long count = 0;
        for (TopicImage topic : image.topicsById().values()) {
            for (PartitionRegistration partition : topic.partitions().values()) {
                if (!offlineOnly || partition.leader() == PartitionRegistration.NO_LEADER) {
                    count++;
                }
            }
        }
        return count;
    }
}
