package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes whose inter-broker listener is SASL_SSL (PLAIN, {@code sasl.mechanism.inter.broker.protocol}): the
 * followers' fetchers authenticate over TLS, so a three-replica topic keeps all replicas in sync and acks=all writes
 * with min.insync.replicas=3 succeed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SecureReplicationTest {
    static final String BROKER_SECRET = "broker-pw-3e8b";

    @Test
    void followersReplicateOverASaslSslInterBrokerListener(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        TestCertificates certs = TestCertificates.create();
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 3)
                .interBrokerProxies()
                .property(
                        "listener.security.protocol.map",
                        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,REPLICATION:SASL_SSL")
                .property("sasl.mechanism.inter.broker.protocol", "PLAIN")
                .property("listener.name.replication.sasl.enabled.mechanisms", "PLAIN")
                .property(
                        "listener.name.replication.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\""
                                + " password=\"" + BROKER_SECRET + "\" user_broker=\"" + BROKER_SECRET + "\";")
                .property(
                        "listener.name.replication.ssl.keystore.location",
                        certs.serverKeystore().toString())
                .property("listener.name.replication.ssl.keystore.password", TestCertificates.PASSWORD)
                .property(
                        "listener.name.replication.ssl.truststore.location",
                        certs.serverTruststore().toString())
                .property("listener.name.replication.ssl.truststore.password", TestCertificates.PASSWORD)
                .start()) {
            cluster.admin()
                    .createTopics(List.of(
                            new NewTopic("secure-replicas", 1, (short) 3).configs(Map.of("min.insync.replicas", "3"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("secure-replicas", "v" + i))
                            .get(60, TimeUnit.SECONDS);
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                TopicDescription topic = cluster.admin()
                        .describeTopics(List.of("secure-replicas"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get("secure-replicas");
                return topic.partitions().get(0).isr().size() == 3;
            });
            for (ScriptedCluster.ClusterNode node : cluster.nodes()) {
                assertThat(Files.readString(node.log()))
                        .contains("Listener REPLICATION uses SASL_SSL")
                        .doesNotContain("Failed authentication")
                        .doesNotContain(BROKER_SECRET);
            }
        }
    }
}
