package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigType;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The config registries over TCP with Kafka's Admin client, as {@code kafka-configs.sh --describe --all} uses it:
 * a broker lists every broker config Kafka documents and a topic every topic config (names from Kafka's docs, in test
 * resources), with Kafka's types, defaults and synonyms; unknown and read-only configs are refused with Kafka's errors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigRegistryTest {
    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;
    static ListAppender<ILoggingEvent> log;

    @BeforeAll
    static void start() throws Exception {
        log = new ListAppender<>();
        log.start();
        rootLogger().addAppender(log);
        node = TestNode.combined(dataDir);
        node.properties().put("log.retention.hours", "48");
        node.properties().put("background.threads", "12");
        node.start();
        admin = Admin.create(node.adminConfig());
    }

    @AfterAll
    static void stop() {
        rootLogger().detachAppender(log);
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.stop();
        }
    }

    private static Logger rootLogger() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static boolean logged(String... parts) {
        List<ILoggingEvent> events;
        synchronized (log) { // AppenderBase appends under this lock
            events = List.copyOf(log.list);
        }
        return events.stream().map(ILoggingEvent::getFormattedMessage).anyMatch(m -> java.util.Arrays.stream(parts)
                .allMatch(m::contains));
    }

    private static Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource);
    }

    private static List<String> kafkaNames(String resource) throws IOException {
        try (InputStream in = ConfigRegistryTest.class.getResourceAsStream("/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .toList();
        }
    }

    private static Map<String, String> synonyms(ConfigEntry entry) {
        return entry.synonyms().stream()
                .collect(Collectors.toMap(
                        s -> s.source() + ":" + s.name(), s -> String.valueOf(s.value()), (a, b) -> a));
    }

    @Test
    void aBrokerListsEveryBrokerConfigKafkaDocumentsWithItsTypeAndDefault() throws Exception {
        Config config = describe(BROKER);
        List<String> described =
                config.entries().stream().map(ConfigEntry::name).toList();
        List<String> documented = kafkaNames("kafka-broker-configs.txt");
        assertThat(documented).hasSizeGreaterThan(300);
        assertThat(described).containsAll(documented);

        ConfigEntry rebalance = config.get("auto.leader.rebalance.enable");
        assertThat(rebalance.value()).isEqualTo("true");
        assertThat(rebalance.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        assertThat(rebalance.type()).isEqualTo(ConfigType.BOOLEAN);
        assertThat(rebalance.isReadOnly()).isTrue();

        ConfigEntry election = config.get("controller.quorum.election.timeout.ms");
        assertThat(election.value()).isEqualTo("1000");
        assertThat(election.type()).isEqualTo(ConfigType.INT);

        ConfigEntry background = config.get("background.threads");
        assertThat(background.value()).isEqualTo("12");
        assertThat(background.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(background.isReadOnly()).isFalse();
        assertThat(synonyms(background))
                .containsEntry("STATIC_BROKER_CONFIG:background.threads", "12")
                .containsEntry("DEFAULT_CONFIG:background.threads", "10");

        assertThat(config.get("create.topic.policy.class.name").type()).isEqualTo(ConfigType.CLASS);
        assertThat(config.get("delegation.token.secret.key").isSensitive()).isTrue();
        assertThat(config.get("log.segment.bytes").value()).isEqualTo("1073741824");
    }

    @Test
    void logRetentionSynonymsResolveAsKafkas() throws Exception {
        Config config = describe(BROKER);
        ConfigEntry hours = config.get("log.retention.hours");
        assertThat(hours.value()).isEqualTo("48");
        assertThat(hours.isReadOnly()).isTrue();
        // As Kafka: log.retention.ms has no value of its own; its chain names the coarser key that sets it.
        ConfigEntry ms = config.get("log.retention.ms");
        assertThat(ms.value()).isNull();
        assertThat(ms.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(ms.isReadOnly()).isFalse();
        assertThat(ms.synonyms().stream().map(s -> s.source() + ":" + s.name() + "=" + s.value()))
                .containsExactly(
                        "STATIC_BROKER_CONFIG:log.retention.hours=48", "DEFAULT_CONFIG:log.retention.hours=168");
    }

    @Test
    void aTopicListsEveryTopicConfigKafkaDocuments() throws Exception {
        admin.createTopics(List.of(new NewTopic("registry-topic", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "registry-topic");
        Config config = describe(topic);
        assertThat(config.entries().stream().map(ConfigEntry::name).toList())
                .containsAll(kafkaNames("kafka-topic-configs.txt"));
        assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(TimeUnit.HOURS.toMillis(48)));
        assertThat(config.get("segment.bytes").value()).isEqualTo("1073741824");
        assertThat(config.get("segment.bytes").type()).isEqualTo(ConfigType.INT);
        assertThat(config.get("remote.storage.enable").value()).isEqualTo("false");
    }

    @Test
    void unknownAndReadOnlyConfigsAreRefusedWithKafkasErrors() throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "registry-refusals");
        admin.createTopics(List.of(new NewTopic(topic.name(), 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> alter(topic, "no.such.config", "1"))
                .cause()
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("no.such.config");
        assertThatThrownBy(() -> alter(CLUSTER_DEFAULT, "no.such.config", "1"))
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("no.such.config");
        assertThatThrownBy(() -> alter(BROKER, "log.retention.hours", "1"))
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("log.retention.hours");
        // Per-broker configs (a key store) are refused at the cluster-wide default, as Kafka refuses them.
        assertThatThrownBy(() -> alter(CLUSTER_DEFAULT, "ssl.keystore.location", "/tmp/ks.jks"))
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("ssl.keystore.location");
        assertThatThrownBy(() -> alter(CLUSTER_DEFAULT, "background.threads", "0"))
                .cause()
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("background.threads");
    }

    @Test
    void aClusterWideConfigKafkaAllowsIsAlteredDescribedAndNamedAsNotApplied() throws Exception {
        alter(CLUSTER_DEFAULT, "log.cleaner.io.buffer.size", "262144");
        ConfigEntry entry = describe(BROKER).get("log.cleaner.io.buffer.size");
        assertThat(entry.value()).isEqualTo("262144");
        assertThat(entry.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> logged("log.cleaner.io.buffer.size", "does not apply it while running"));
    }

    @Test
    void startUpNamesTheSetConfigsHeraldDoesNotActOn() {
        assertThat(logged("Accepted but not acted on", "background.threads")).isTrue();
        assertThat(logged("Accepted but not acted on", "log.retention.hours")).isFalse();
    }

    private static void alter(ConfigResource resource, String name, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(
                        resource, List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }
}
