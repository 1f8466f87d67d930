package io.herald.server;

import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.MetricNames;
import io.herald.network.RequestPlaneStats;

/** Gauges of the client request plane: handler idle ratio, request queue, memory pool (Kafka's MBean names). */
final class RequestPlaneMetrics {
    private RequestPlaneMetrics() {}

    static void register(HeraldMetrics metrics, RequestPlaneStats stats) {
        metrics.gauge(MetricNames.REQUEST_HANDLER_IDLE, stats::handlerIdleRatio);
        metrics.gauge(MetricNames.REQUEST_QUEUE_SIZE, stats::queuedRequests);
        metrics.gauge(MetricNames.MEMORY_POOL_USED, stats::queuedRequestBytes);
        metrics.gauge(MetricNames.MEMORY_POOL_AVAILABLE, () -> stats.memoryPoolBytes() - stats.queuedRequestBytes());
    }
}
