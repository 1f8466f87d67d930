package io.herald.broker;

import io.herald.metadata.BrokerEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's membership in the cluster: registers with the controller (getting a broker epoch), heartbeats every
 * {@code broker.heartbeat.interval.ms} reporting how far it has applied the metadata log, and is unfenced by the
 * controller once caught up. Re-registers when the controller no longer knows its epoch; on shutdown asks to be fenced.
 */
final class BrokerLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLifecycle.class);
    private static final short REGISTRATION_VERSION = 4;
    private static final short HEARTBEAT_VERSION = 1;

    private final BrokerSettings settings;
    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final Uuid incarnationId = Uuid.randomUuid();
    private final ScheduledExecutorService thread;
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();
    private volatile long brokerEpoch = -1;
    private volatile boolean running = true;

    BrokerLifecycle(BrokerSettings settings, ControllerChannel channel, MetadataCache cache) {
        this.settings = settings;
        this.channel = channel;
        this.cache = cache;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-broker-lifecycle");
            t.setDaemon(true);
            return t;
        });
    }

    /** Completes when the controller first unfences this broker: it may then serve clients. */
    CompletableFuture<Void> unfenced() {
        return unfenced;
    }

    long brokerEpoch() {
        return brokerEpoch;
    }

    void start() {
        thread.execute(this::register);
    }

    private void register() {
        if (!running) {
            return;
        }
        BrokerRegistrationRequestData request = new BrokerRegistrationRequestData()
                .setBrokerId(settings.nodeId())
                .setClusterId(settings.clusterId())
                .setIncarnationId(incarnationId)
                .setRack(settings.rack());
        for (BrokerEndpoint endpoint : settings.advertisedEndpoints()) {
            request.listeners()
                    .add(new BrokerRegistrationRequestData.Listener()
                            .setName(endpoint.listenerName())
                            .setHost(endpoint.host())
                            .setPort(endpoint.port())
                            .setSecurityProtocol(SecurityProtocol.forName(endpoint.securityProtocol()).id));
        }
        channel.<BrokerRegistrationResponseData>send(
                        ApiKeys.BROKER_REGISTRATION, REGISTRATION_VERSION, request, settings.requestTimeoutMs())
                .whenCompleteAsync(
                        (response, error) -> {
                            if (error != null) {
                                LOG.debug(
                                        "Broker {} registration failed, retrying: {}",
                                        settings.nodeId(),
                                        error.toString());
                                thread.schedule(
                                        this::register, settings.heartbeatIntervalMs() / 4, TimeUnit.MILLISECONDS);
                                return;
                            }
                            Errors result = Errors.forCode(response.errorCode());
                            if (result != Errors.NONE) {
                                LOG.warn(
                                        "Broker {} registration refused by the controller: {}",
                                        settings.nodeId(),
                                        result.message());
                                thread.schedule(this::register, settings.heartbeatIntervalMs(), TimeUnit.MILLISECONDS);
                                return;
                            }
                            brokerEpoch = response.brokerEpoch();
                            LOG.info("Broker {} registered with broker epoch {}", settings.nodeId(), brokerEpoch);
                            heartbeat();
                        },
                        thread);
    }

    private void heartbeat() {
        if (!running) {
            return;
        }
        BrokerHeartbeatRequestData request = new BrokerHeartbeatRequestData()
                .setBrokerId(settings.nodeId())
                .setBrokerEpoch(brokerEpoch)
                .setCurrentMetadataOffset(cache.image().offset())
                .setWantFence(false)
                .setWantShutDown(false);
        channel.<BrokerHeartbeatResponseData>send(
                        ApiKeys.BROKER_HEARTBEAT, HEARTBEAT_VERSION, request, settings.requestTimeoutMs())
                .whenCompleteAsync(
                        (response, error) -> {
                            if (error == null) {
                                Errors result = Errors.forCode(response.errorCode());
                                if (result == Errors.STALE_BROKER_EPOCH || result == Errors.BROKER_ID_NOT_REGISTERED) {
                                    LOG.info("Broker {} re-registers: {}", settings.nodeId(), result.name());
                                    register();
                                    return;
                                }
                                if (result == Errors.NONE && !response.isFenced() && !unfenced.isDone()) {
                                    LOG.info("Broker {} is unfenced and serving", settings.nodeId());
                                    unfenced.complete(null);
                                }
                            }
                            // Until unfenced, heartbeat often so start-up is quick; then at the configured interval.
                            long delayMs = unfenced.isDone()
                                    ? settings.heartbeatIntervalMs()
                                    : Math.min(50, settings.heartbeatIntervalMs());
                            thread.schedule(this::heartbeat, delayMs, TimeUnit.MILLISECONDS);
                        },
                        thread);
    }

    /** Tells the controller this broker is going away, so it is fenced at once rather than after its session. */
    void shutdown(long timeoutMs) {
        running = false;
        if (brokerEpoch < 0) {
            return;
        }
        BrokerHeartbeatRequestData request = new BrokerHeartbeatRequestData()
                .setBrokerId(settings.nodeId())
                .setBrokerEpoch(brokerEpoch)
                .setCurrentMetadataOffset(cache.image().offset())
                .setWantShutDown(true);
        try {
            channel.send(ApiKeys.BROKER_HEARTBEAT, HEARTBEAT_VERSION, request, timeoutMs)
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Broker {} could not announce its shutdown: {}", settings.nodeId(), e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.shutdownNow();
    }
}
