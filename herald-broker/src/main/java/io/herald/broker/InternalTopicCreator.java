package io.herald.broker;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates one coordinator topic ({@code __consumer_offsets}, {@code __transaction_state}) through the controller on
 * its first use: at most one request in flight, one line when it is created, and a failure (a replication factor the
 * cluster cannot meet, say) logged at most once a minute while clients keep asking.
 */
final class InternalTopicCreator {
    private static final Logger LOG = LoggerFactory.getLogger(InternalTopicCreator.class);
    private static final short CREATE_TOPICS_VERSION = 7;
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ControllerChannel channel;
    private final long timeoutMs;
    private final String topic;
    private final int partitions;
    private final short replicationFactor;
    private final String replicationFactorConfig;
    private final Map<String, String> configs;
    private final AtomicBoolean creating = new AtomicBoolean();
    private volatile long lastWarningNanos = System.nanoTime() - WARNING_INTERVAL_NANOS;

    /**
     * @param replicationFactorConfig the broker config that sets {@code replicationFactor}, named in the warning
     * @param configs the topic's configs, in the order they are sent
     */
    InternalTopicCreator(
            ControllerChannel channel,
            long timeoutMs,
            String topic,
            int partitions,
            short replicationFactor,
            String replicationFactorConfig,
            Map<String, String> configs) {
        this.channel = channel;
        this.timeoutMs = timeoutMs;
        this.topic = topic;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.replicationFactorConfig = replicationFactorConfig;
        this.configs = configs;
    }

    /** Asks the controller to create the topic, unless a request is already out. */
    void create() {
        if (!creating.compareAndSet(false, true)) {
            return;
        }
        CreateTopicsRequestData.CreatableTopic creatable = new CreateTopicsRequestData.CreatableTopic()
                .setName(topic)
                .setNumPartitions(partitions)
                .setReplicationFactor(replicationFactor);
        configs.forEach((name, value) -> creatable
                .configs()
                .add(new CreateTopicsRequestData.CreatableTopicConfig()
                        .setName(name)
                        .setValue(value)));
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs((int) timeoutMs);
        request.topics().add(creatable);
        channel.<CreateTopicsResponseData>send(ApiKeys.CREATE_TOPICS, CREATE_TOPICS_VERSION, request, timeoutMs)
                .whenComplete((response, error) -> {
                    creating.set(false);
                    if (error != null) {
                        if (warningDue()) {
                            LOG.warn("Creating {} failed: {}", topic, error.getMessage());
                        }
                        return;
                    }
                    CreateTopicsResponseData.CreatableTopicResult result =
                            response.topics().find(topic);
                    Errors outcome = result == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forCode(result.errorCode());
                    if (outcome == Errors.NONE) {
                        LOG.info(
                                "Created {} with {} partition(s) and replication factor {}",
                                topic,
                                partitions,
                                replicationFactor);
                    } else if (outcome != Errors.TOPIC_ALREADY_EXISTS && warningDue()) {
                        LOG.warn(
                                "Creating {} failed: {} {} ({}={})",
                                topic,
                                outcome,
                                result == null ? "" : result.errorMessage(),
                                replicationFactorConfig,
                                replicationFactor);
                    }
                });
    }

    private boolean warningDue() {
        long now = System.nanoTime();
        if (now - lastWarningNanos < WARNING_INTERVAL_NANOS) {
            return false;
        }
        lastWarningNanos = now;
        return true;
    }
}
