package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.metadata.BrokerConfigs.Support;
import io.herald.metadata.BrokerConfigs.UpdateMode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker registry: Kafka's facts per config, parsing and validation through it, and what is dynamic. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BrokerConfigsTest {
    @Test
    void holdsKafkasFactsForEachConfig() {
        BrokerConfigs.Definition hours =
                BrokerConfigs.definition("log.retention.hours").orElseThrow();
        assertThat(hours.type()).isEqualTo(ConfigDef.Type.INT);
        assertThat(hours.defaultValue()).isEqualTo("168");
        assertThat(hours.updateMode()).isEqualTo(UpdateMode.READ_ONLY);
        assertThat(hours.support()).isEqualTo(Support.ACTS);

        BrokerConfigs.Definition background =
                BrokerConfigs.definition("background.threads").orElseThrow();
        assertThat(background.defaultValue()).isEqualTo("10");
        assertThat(background.updateMode()).isEqualTo(UpdateMode.CLUSTER_WIDE);
        assertThat(background.support()).isEqualTo(Support.ACCEPTED);

        assertThat(BrokerConfigs.definition("log.retention.ms").orElseThrow().defaultValue())
                .isNull();
        assertThat(BrokerConfigs.definition("node.id").orElseThrow().required()).isTrue();
        assertThat(BrokerConfigs.definition("ssl.keystore.location")
                        .orElseThrow()
                        .updateMode())
                .isEqualTo(UpdateMode.PER_BROKER);
        assertThat(BrokerConfigs.definition("create.topic.policy.class.name")
                        .orElseThrow()
                        .type())
                .isEqualTo(ConfigDef.Type.CLASS);
        assertThat(BrokerConfigs.definition("herald.quorum.raft.port.offset")
                        .orElseThrow()
                        .support())
                .isEqualTo(Support.HERALD);
        assertThat(BrokerConfigs.definitions()).hasSizeGreaterThan(316);
    }

    @Test
    void parsesWithKafkasDefaultsAndKeepsPluginClassesAsNames() {
        Map<String, Object> parsed = BrokerConfigs.configDef()
                .parse(Map.of(
                        "node.id", "1",
                        "process.roles", "broker",
                        "create.topic.policy.class.name", "com.example.NotOnTheClassPath"));
        assertThat(parsed.get("log.retention.hours")).isEqualTo(168);
        assertThat(parsed.get("controller.quorum.election.timeout.ms")).isEqualTo(1000);
        assertThat(parsed.get("log.cleaner.min.cleanable.ratio")).isEqualTo(0.5);
        assertThat(parsed.get("create.topic.policy.class.name")).isEqualTo("com.example.NotOnTheClassPath");
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertThatThrownBy(() -> BrokerConfigs.validate("background.threads", "0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("background.threads");
        assertThatThrownBy(() -> BrokerConfigs.validate("log.segment.bytes", "1000"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("log.segment.bytes");
        assertThatThrownBy(() -> BrokerConfigs.validate("ssl.client.auth", "sometimes"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ssl.client.auth");
        assertThatThrownBy(() -> BrokerConfigs.validate("group.consumer.migration.policy", "sideways"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> BrokerConfigs.validate("no.such.config", "1"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no.such.config");
        BrokerConfigs.validate("group.consumer.migration.policy", "upgrade");
        BrokerConfigs.validate("compression.gzip.level", "-1");
    }

    @Test
    void dynamicnessFollowsKafkasUpdateModes() {
        assertThat(BrokerDynamicConfigs.isDynamic("log.retention.ms")).isTrue();
        assertThat(BrokerDynamicConfigs.isDynamic("log.retention.hours")).isFalse();
        assertThat(BrokerDynamicConfigs.isDynamic("background.threads")).isTrue();
        assertThat(BrokerDynamicConfigs.isDynamic("node.id")).isFalse();
        assertThat(BrokerDynamicConfigs.isDynamic("listener.name.ssl.ssl.keystore.location"))
                .isTrue();
        assertThat(BrokerDynamicConfigs.isPerBrokerOnly("ssl.keystore.location"))
                .isTrue();
        assertThat(BrokerDynamicConfigs.isPerBrokerOnly("listener.name.ssl.ssl.keystore.location"))
                .isTrue();
        assertThat(BrokerDynamicConfigs.isPerBrokerOnly("log.retention.ms")).isFalse();
    }

    @Test
    void everyTopicConfigsBrokerDefaultIsABrokerConfig() {
        for (String topicConfig : TopicConfigs.names()) {
            String synonym = TopicConfigs.definition(topicConfig).orElseThrow().brokerSynonym();
            if (!synonym.equals(topicConfig)
                    || BrokerConfigs.definition(synonym).isPresent()) {
                assertThat(BrokerConfigs.definition(synonym)).as(topicConfig).isPresent();
            }
        }
        assertThat(BrokerConfigs.synonyms("log.retention.ms"))
                .isEqualTo(List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"));
        assertThat(BrokerConfigs.synonyms("num.partitions")).isEqualTo(List.of("num.partitions"));
    }
}
