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
 * controller once caught up. Re-registers when the controller no longer knows its epoch; shuts down in a controlled way
 * (the controller first moves its leaderships away).
 */
final class BrokerLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLifecycle.class);
    private static final short REGISTRATION_VERSION = 4;
    private static final short HEARTBEAT_VERSION = 1;
    /** How often a broker in controlled shutdown asks again whether it may stop. */
    private static final long SHUTDOWN_HEARTBEAT_MS = 50;

    private final BrokerSettings settings;
    private final ControllerChannel channel;
    private final MetadataCache cache;
    private final Uuid incarnationId = Uuid.randomUuid();
    private final ScheduledExecutorService thread;
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();
    private volatile long brokerEpoch = -1;
    private volatile boolean running = true;
    private boolean unfencing;

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
                                    serveOnceUnfencedInImage();
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

    /**
     * Serves clients once this broker's metadata shows it unfenced: the controller commits the leaderships it gives a
     * returning broker in the same batch as the unfencing, so clients never meet the broker before its leaderships.
     */
    private void serveOnceUnfencedInImage() {
        if (unfencing) {
            return;
        }
        unfencing = true;
        cache.await(image -> image.broker(settings.nodeId())
                        .map(b -> b.epoch() == brokerEpoch && !b.fenced())
                        .orElse(false))
                .thenRunAsync(
                        () -> {
                            if (!unfenced.isDone()) {
                                LOG.info("Broker {} is unfenced and serving", settings.nodeId());
                                unfenced.complete(null);
                            }
                        },
                        thread);
    }

    /**
     * Controlled shutdown, as a KRaft broker does it: heartbeats asking to shut down until the controller, having moved
     * this broker's leaderships to other in-sync replicas and seen the cluster apply that, answers that it may; gives
     * up after {@code timeoutMs} and stops anyway.
     */
    void shutdown(long timeoutMs) {
        running = false;
        if (brokerEpoch < 0) {
            return;
        }
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        CompletableFuture<Void> granted = new CompletableFuture<>();
        thread.execute(() -> shutdownHeartbeat(deadlineNanos, granted));
        try {
            granted.get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.info(
                    "Broker {} completed controlled shutdown in {} ms",
                    settings.nodeId(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn(
                    "Broker {} stops without the controller's permission after {} ms: {}",
                    settings.nodeId(),
                    timeoutMs,
                    e.getCause() == null ? e.toString() : e.getCause().toString());
        }
    }

    private void shutdownHeartbeat(long deadlineNanos, CompletableFuture<Void> granted) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMs <= 0 || granted.isDone()) {
            return;
        }
        BrokerHeartbeatRequestData request = new BrokerHeartbeatRequestData()
                .setBrokerId(settings.nodeId())
                .setBrokerEpoch(brokerEpoch)
                .setCurrentMetadataOffset(cache.image().offset())
                .setWantShutDown(true);
        channel.<BrokerHeartbeatResponseData>send(ApiKeys.BROKER_HEARTBEAT, HEARTBEAT_VERSION, request, remainingMs)
                .whenCompleteAsync(
                        (response, error) -> {
                            if (error == null) {
                                Errors result = Errors.forCode(response.errorCode());
                                if (response.shouldShutDown()
                                        || result == Errors.STALE_BROKER_EPOCH
                                        || result == Errors.BROKER_ID_NOT_REGISTERED) {
                                    granted.complete(null);
                                    return;
                                }
                            }
                            thread.schedule(
                                    () -> shutdownHeartbeat(deadlineNanos, granted),
                                    SHUTDOWN_HEARTBEAT_MS,
                                    TimeUnit.MILLISECONDS);
                        },
                        thread);
    }

    @Override
    public void close() {
        running = false;
        thread.shutdownNow();
    }
}
