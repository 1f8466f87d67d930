package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigCommandTest {
    private final MockAdminClient admin = MockAdminClient.create().numBrokers(1).build();

    @BeforeEach
    void setUp() throws Exception {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1).configs(Map.of("retention.ms", "1000"))))
                .all()
                .get();
    }

    private ToolOutput configs(String... args) {
        return ToolOutput.run((a, o, e) -> ConfigCommand.run(a, o, e, p -> admin), args);
    }

    @Test
    void alterThenDescribeAll() throws Exception {
        var r = configs(
                "--bootstrap-server",
                "h",
                "--alter",
                "--entity-type",
                "topics",
                "--entity-name",
                "t",
                "--add-config",
                "cleanup.policy=[compact,delete],segment.ms=5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Completed updating config for topic t.\n");
        var resource = new ConfigResource(ConfigResource.Type.TOPIC, "t");
        var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact,delete");

        var all = configs("--bootstrap-server", "h", "--describe", "--topic", "t", "--all");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out())
                .startsWith("All configs for topic t are:\n")
                .contains("  segment.ms=5 sensitive=false synonyms={}\n");
    }

    @Test
    void describeMissingTopic() {
        assertThat(configs("--bootstrap-server", "h", "--describe", "--entity-type", "topics", "--entity-name", "x")
                        .out())
                .isEqualTo("The topic 'x' doesn't exist and doesn't have dynamic config.\n");
    }

    @Test
    void deletingUnsetConfigFails() {
        var r = configs("--bootstrap-server", "h", "--alter", "--topic", "t", "--delete-config", "nope");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Invalid config(s): nope\n");
    }

    @Test
    void lineFormat() {
        var e = new ConfigEntry("retention.ms", "1000");
        assertThat(ConfigCommand.line(e)).isEqualTo("retention.ms=1000 sensitive=false synonyms={}");
    }

    @Test
    void argumentErrors() {
        assertThat(configs("--bootstrap-server", "h", "--topic", "t").err())
                .isEqualTo("Command must include exactly one action: --describe, --alter\n");
        assertThat(configs("--describe", "--topic", "t").err())
                .isEqualTo("Either --bootstrap-server or --bootstrap-controller must be specified.\n");
        assertThat(configs("--bootstrap-server", "h", "--alter", "--topic", "t").err())
                .isEqualTo("At least one of --add-config, --add-config-file, or --delete-config must be specified"
                        + " with --alter\n");
        assertThat(configs("--bootstrap-server", "h", "--alter", "--entity-type", "topics", "--add-config", "a=b")
                        .err())
                .isEqualTo("An entity name must be specified with --alter of topics\n");
        assertThat(configs("--bootstrap-server", "h", "--alter", "--topic", "t", "--add-config", "a")
                        .err())
                .isEqualTo("Invalid entity config: all configs to be added must be in the format \"key=val\" or "
                        + " \"key=[val1,val2]\" to group values which contain commas.\n");
        assertThat(configs("--bootstrap-server", "h", "--describe", "--entity-type", "brokers", "--entity-name", "x")
                        .err())
                .isEqualTo("The entity name for brokers must be a valid integer broker id, but it is: x\n");
        assertThat(configs("--bootstrap-server", "h", "--describe", "--entity-type", "nope")
                        .err())
                .startsWith("Invalid entity type nope, the entity type must be one of ");
    }
}
