package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.controller.QuorumPeer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ServerConfigTest {
    private static Map<String, String> combined() {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.bootstrap.servers", "localhost:9093");
        props.put("listeners", "PLAINTEXT://:9092,CONTROLLER://:9093");
        props.put("advertised.listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", "/tmp/a,/tmp/b");
        return props;
    }

    @Test
    void kafkasQuickstartConfigurationParses() throws Exception {
        ServerConfig config = new ServerConfig(HeraldMain.load(Path.of("../config/server.properties")));
        assertThat(config.isBroker()).isTrue();
        assertThat(config.isController()).isTrue();
        assertThat(config.clientListeners()).extracting(Endpoint::port).containsExactly(9092);
        assertThat(config.controllerListeners()).extracting(Endpoint::port).containsExactly(9093);
        assertThat(config.logDirs()).containsExactly(Path.of("/tmp/kraft-combined-logs"));
        assertThat(ServerConfig.unknownKeys(HeraldMain.load(Path.of("../config/server.properties"))))
                .isEmpty();
    }

    @Test
    void kafkaConfigsHeraldDoesNotActOnAreValidatedAndNamed() {
        assertThat(ServerConfig.notActedOn(HeraldMain.load(Path.of("../config/server.properties"))))
                .contains("share.coordinator.state.topic.replication.factor")
                .doesNotContain("log.retention.hours", "num.partitions");
        Map<String, String> props = combined();
        props.put("background.threads", "0");
        assertThatThrownBy(() -> new ServerConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("background.threads");
        props.put("background.threads", "4");
        props.put("create.topic.policy.class.name", "com.example.NotOnTheClassPath");
        assertThat(new ServerConfig(props).getString("create.topic.policy.class.name"))
                .isEqualTo("com.example.NotOnTheClassPath");
    }

    @Test
    void everyShippedConfigurationParses() {
        for (String file :
                List.of("server.properties", "kraft/server.properties", "controller.properties", "broker.properties")) {
            new ServerConfig(HeraldMain.load(Path.of("../config/" + file)));
        }
    }

    @Test
    void standaloneControllerIsAQuorumOfItself() {
        ServerConfig config = new ServerConfig(combined());
        List<QuorumPeer> voters = QuorumConfig.voters(config);
        assertThat(voters).containsExactly(new QuorumPeer(1, "localhost", 9093, 19093));
        assertThat(config.metadataLogDir()).isEqualTo(Path.of("/tmp/a"));
        assertThat(config.allDirs()).containsExactly(Path.of("/tmp/a"), Path.of("/tmp/b"));
    }

    @Test
    void staticVotersAreParsed() {
        Map<String, String> props = combined();
        props.put("controller.quorum.voters", "1@h1:9093,2@h2:9093,3@h3:9093");
        assertThat(QuorumConfig.voters(new ServerConfig(props)))
                .extracting(QuorumPeer::id)
                .containsExactly(1, 2, 3);
    }

    @Test
    void badValueFailsWithOneLineNamingTheKey() {
        Map<String, String> props = combined();
        props.put("num.partitions", "many");
        assertThatThrownBy(() -> new ServerConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("num.partitions")
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingNodeIdAndRolesAreReported() {
        Map<String, String> props = combined();
        props.remove("node.id");
        assertThatThrownBy(() -> new ServerConfig(props)).hasMessageContaining("node.id");
        Map<String, String> noRoles = combined();
        noRoles.put("process.roles", "gateway");
        assertThatThrownBy(() -> new ServerConfig(noRoles)).hasMessageContaining("process.roles");
    }

    @Test
    void controllerListenerMustBeDeclared() {
        Map<String, String> props = combined();
        props.put("listeners", "PLAINTEXT://:9092");
        assertThatThrownBy(() -> new ServerConfig(props)).hasMessageContaining("controller.listener.names");
    }

    @Test
    void unknownKeysAreReportedButKafkaFamiliesAreAccepted() {
        Map<String, String> props = combined();
        props.put("log.retention.hours", "1");
        props.put("ssl.keystore.location", "/x");
        props.put("listener.name.ssl.ssl.keystore.location", "/x");
        props.put("background.threads", "4");
        props.put("no.such.setting", "1");
        props.put("log.retention.hourz", "1");
        assertThat(ServerConfig.unknownKeys(props)).containsExactly("log.retention.hourz", "no.such.setting");
    }
}
