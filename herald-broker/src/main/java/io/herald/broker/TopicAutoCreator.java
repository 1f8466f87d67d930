package io.herald.broker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics that clients ask metadata for when {@code auto.create.topics.enable} is on, with the broker's
 * {@code num.partitions} and {@code default.replication.factor}. One creation in flight per name: clients ask again and
 * again while they wait.
 */
final class TopicAutoCreator {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAutoCreator.class);
    private static final short CREATE_TOPICS_VERSION = 7;

    private final BrokerSettings settings;
    private final ControllerChannel channel;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    TopicAutoCreator(BrokerSettings settings, ControllerChannel channel) {
        this.settings = settings;
        this.channel = channel;
    }

    void create(String name) {
        if (!inFlight.add(name)) {
            return;
        }
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs((int) settings.requestTimeoutMs());
        request.topics()
                .add(new CreateTopicsRequestData.CreatableTopic()
                        .setName(name)
                        .setNumPartitions(settings.numPartitions())
                        .setReplicationFactor(settings.defaultReplicationFactor()));
        channel.<CreateTopicsResponseData>send(
                        ApiKeys.CREATE_TOPICS, CREATE_TOPICS_VERSION, request, settings.requestTimeoutMs())
                .whenComplete((response, error) -> {
                    inFlight.remove(name);
                    if (error != null) {
                        LOG.warn("Auto-creation of topic {} failed: {}", name, error.getMessage());
                        return;
                    }
                    CreateTopicsResponseData.CreatableTopicResult result =
                            response.topics().find(name);
                    Errors outcome = result == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forCode(result.errorCode());
                    if (outcome == Errors.NONE) {
                        LOG.info("Auto-created topic {} with {} partition(s)", name, result.numPartitions());
                    } else if (outcome != Errors.TOPIC_ALREADY_EXISTS) {
                        LOG.warn("Auto-creation of topic {} failed: {}", name, result.errorMessage());
                    }
                });
    }
}
