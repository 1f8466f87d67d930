package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started from bin/ as a user starts Kafka with {@code JMX_PORT} set: its MBeans, under Kafka's names, are read
 * over remote JMX as JmxTool-style scrapers do, and the shipped config's HTTP port serves the same counts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RemoteJmxTest {
    @Test
    void jmxPortOpensKafkasMBeansRemotelyAndTheShippedConfigServesMetrics(@TempDir Path dir) throws Exception {
        int jmxPort = TestPorts.free();
        int brokerPort = TestPorts.free();
        Path serverConfig = Scripts.config(dir, "server.properties", brokerPort, TestPorts.free(), dir.resolve("data"));
        // --format-if-needed (bin/herald start's flag) formats in the server's JVM: one JVM start instead of two.
        Process server = Scripts.startLogged(
                dir.resolve("server.log"),
                Map.of("JMX_PORT", Integer.toString(jmxPort)),
                "kafka-server-start.sh",
                serverConfig.toString(),
                "--format-if-needed");
        try {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + brokerPort);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("remote-jmx", "k", "v" + i))
                            .get(60, TimeUnit.SECONDS);
                }
            }

            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection mbeans = connector.getMBeanServerConnection();
                assertThat(mbeans.getAttribute(
                                new ObjectName("kafka.controller:type=KafkaController,name=ActiveControllerCount"),
                                "Value"))
                        .isEqualTo(1);
                assertThat(mbeans.getAttribute(
                                new ObjectName(
                                        "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=remote-jmx"),
                                "Count"))
                        .isEqualTo(3L);
                assertThat(mbeans.queryNames(
                                new ObjectName("kafka.network:type=RequestMetrics,name=TotalTimeMs,*"), null))
                        .isNotEmpty();
            }

            String httpListener = Files.readAllLines(serverConfig).stream()
                    .filter(l -> l.startsWith("http.listeners="))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the shipped server.properties has no http.listeners"));
            int httpPort = Integer.parseInt(httpListener.substring(httpListener.lastIndexOf(':') + 1));
            assertThat(Scrape.of(httpPort).value("herald_topic_messages_in_total", Map.of("topic", "remote-jmx")))
                    .isEqualTo(3);
        } finally {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }
}
