package io.herald.broker;

import io.herald.protocol.ApiRegistry;
import io.herald.protocol.ApiVersionsHandler;
import io.herald.protocol.RequestDispatcher;
import io.herald.protocol.RequestProcessor;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker role: follows the metadata log, keeps its membership with the controller, and serves the client APIs.
 * Client listeners are bound by the server before this starts (so ports are known to advertise) and are gated until
 * the broker is unfenced, so no client ever sees a broker that has not caught up with the cluster's metadata.
 */
public final class BrokerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);

    private final BrokerSettings settings;
    private final MetadataCache cache = new MetadataCache();
    private final ControllerChannel channel;
    private final MetadataFollower follower;
    private final BrokerLifecycle lifecycle;
    private final ApiRegistry registry;
    private final GatedProcessor processor;

    public BrokerServer(BrokerSettings settings) {
        this.settings = settings;
        this.channel = new ControllerChannel(settings.nodeId(), settings.controllers());
        this.follower = new MetadataFollower(settings.nodeId(), channel, cache, settings.requestTimeoutMs());
        this.lifecycle = new BrokerLifecycle(settings, channel, cache);
        TopicAutoCreator autoCreator = new TopicAutoCreator(settings, channel);
        TopicAdminHandlers topicAdmin = new TopicAdminHandlers(channel, cache, settings.requestTimeoutMs());
        ApiRegistry[] self = new ApiRegistry[1];
        this.registry = ApiRegistry.builder()
                .register(ApiKeys.API_VERSIONS, 0, 4, new ApiVersionsHandler(() -> self[0]))
                .register(ApiKeys.METADATA, 0, 13, new MetadataHandler(settings, cache, autoCreator))
                .register(ApiKeys.DESCRIBE_CLUSTER, 0, 2, new DescribeClusterHandler(settings, cache))
                .register(ApiKeys.CREATE_TOPICS, 2, 7, topicAdmin::createTopics)
                .register(ApiKeys.DELETE_TOPICS, 1, 6, topicAdmin::deleteTopics)
                .build();
        self[0] = registry;
        this.processor = new GatedProcessor(new RequestDispatcher(registry), lifecycle.unfenced());
    }

    /** What the client listeners hand their frames to. */
    public RequestProcessor requestProcessor() {
        return processor;
    }

    public ApiRegistry apiRegistry() {
        return registry;
    }

    public MetadataCache metadataCache() {
        return cache;
    }

    /** Starts following metadata and registering; the returned future completes when the broker serves clients. */
    public CompletableFuture<Void> start() {
        follower.start();
        lifecycle.start();
        return lifecycle.unfenced();
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Controlled shutdown: announce it to the controller, then stop. */
    @Override
    public void close() {
        lifecycle.shutdown(Math.min(settings.requestTimeoutMs(), 5_000));
        lifecycle.close();
        follower.close();
        channel.close();
        LOG.info("Broker {} stopped", settings.nodeId());
    }
}
