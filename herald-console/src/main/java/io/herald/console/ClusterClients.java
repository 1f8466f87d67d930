package io.herald.console;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The kafka-clients one console user acts through, connected to the node's own listener with that user's credentials:
 * an {@link Admin} for everything Kafka's tools do, a producer for test messages, and short-lived consumers for the
 * message browser. Every call is bounded by {@link #CALL_TIMEOUT}.
 */
final class ClusterClients implements AutoCloseable {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    private static final String REQUEST_TIMEOUT_MS = "10000";

    /** Client ids are unique in the JVM: kafka-clients registers an MBean per client id and warns on a clash. */
    private static final java.util.concurrent.atomic.AtomicLong CLIENT_IDS =
            new java.util.concurrent.atomic.AtomicLong();

    private final String principal;
    private final Map<String, Object> config;
    private final Admin admin;
    private KafkaProducer<byte[], byte[]> producer;

    private ClusterClients(String principal, Map<String, Object> config) {
        this.principal = principal;
        this.config = config;
        Map<String, Object> adminConfig = new HashMap<>(config);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-console-admin-" + CLIENT_IDS.incrementAndGet());
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        this.admin = Admin.create(adminConfig);
    }

    /** Clients for one principal: the settings' client config plus the user's own (SASL) settings. */
    static ClusterClients connect(ConsoleSettings settings, Map<String, Object> userConfig, String principal) {
        Map<String, Object> config = new HashMap<>(settings.clientConfig());
        config.putAll(userConfig);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        return new ClusterClients(principal, config);
    }

    String principal() {
        return principal;
    }

    Admin admin() {
        return admin;
    }

    synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> producerConfig = new HashMap<>(config);
            producerConfig.put(
                    ProducerConfig.CLIENT_ID_CONFIG, "herald-console-producer-" + CLIENT_IDS.incrementAndGet());
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, REQUEST_TIMEOUT_MS);
            producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
            producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** A consumer without a group for one browse (assign and seek only; it commits nothing). */
    KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> consumerConfig = new HashMap<>(config);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-console-browser-" + CLIENT_IDS.incrementAndGet());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits for a client future (admin call or producer send) within the call timeout; a failure becomes the
     * user-facing {@link ActionFailed}. */
    static <T> T await(Future<T> future) {
        try {
            return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailed("Interrupted");
        } catch (ExecutionException e) {
            throw ActionFailed.of(e);
        } catch (TimeoutException e) {
            throw new ActionFailed("No answer from the cluster within " + CALL_TIMEOUT.toSeconds() + " s");
        }
    }

    @Override
    public synchronized void close() {
        admin.close(Duration.ofSeconds(1));
        if (producer != null) {
            producer.close(Duration.ofSeconds(1));
        }
    }
}
