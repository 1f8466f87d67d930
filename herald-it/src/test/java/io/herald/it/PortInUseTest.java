package io.herald.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A port another process holds stops start-up with one line naming the address, the listener and the config. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortInUseTest {
    @Test
    void aTakenListenerPortNamesTheListenerAndTheConfig(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> props = TestNode.combined(dir).properties();
            int controllerPort = Integer.parseInt(
                    props.get("controller.quorum.bootstrap.servers").split(":")[1]);
            props.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:" + taken.getLocalPort() + ",CONTROLLER://127.0.0.1:" + controllerPort);
            TestNode node = TestNode.of(props);
            try {
                assertThatThrownBy(node::start)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                        .hasMessageContaining("listener PLAINTEXT")
                        .hasMessageContaining("listeners")
                        .hasMessageNotContaining("\n");
            } finally {
                node.stop();
            }
        }
    }

    @Test
    void aTakenRaftPortNamesTheOffsetConfig(@TempDir Path dir) throws Exception {
        Map<String, String> props = TestNode.combined(dir).properties();
        int controllerPort = Integer.parseInt(
                props.get("controller.quorum.bootstrap.servers").split(":")[1]);
        int raftPort = controllerPort + Integer.parseInt(props.get("herald.quorum.raft.port.offset"));
        try (ServerSocket taken = new ServerSocket(raftPort)) {
            TestNode node = TestNode.of(props);
            try {
                assertThatThrownBy(node::start)
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("Raft port " + raftPort)
                        .hasMessageContaining("herald.quorum.raft.port.offset")
                        .hasMessageNotContaining("\n");
            } finally {
                node.stop();
            }
        }
    }
}
