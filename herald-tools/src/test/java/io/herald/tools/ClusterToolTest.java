package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterToolTest {
    private final MockAdminClient admin = MockAdminClient.create()
            .clusterId("I4ZmrWqfT2e-upky_4fdPA")
            .numBrokers(1)
            .build();
    private final AtomicReference<Properties> props = new AtomicReference<>();

    private ToolOutput cluster(String... args) {
        return ToolOutput.run(
                (a, o, e) -> ClusterTool.run(a, o, e, p -> {
                    props.set(p);
                    return admin;
                }),
                args);
    }

    @Test
    void printsClusterId() {
        var r = cluster("cluster-id", "--bootstrap-server", "h:9092");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Cluster ID: I4ZmrWqfT2e-upky_4fdPA\n");
        assertThat(props.get().getProperty("bootstrap.servers")).isEqualTo("h:9092");
        assertThat(cluster("cluster-id", "-C", "c:9093").exitCode()).isZero();
        assertThat(props.get().getProperty("bootstrap.controllers")).isEqualTo("c:9093");
    }

    @Test
    void argumentErrors() {
        assertThat(cluster("cluster-id").err())
                .isEqualTo("kafka-cluster cluster-id: error: one of the arguments --bootstrap-server/-b"
                        + " --bootstrap-controller/-C is required\n");
        assertThat(cluster("unregister", "-b", "h").err())
                .isEqualTo("kafka-cluster unregister: error: argument --id/-i is required\n");
        assertThat(cluster("nope").exitCode()).isEqualTo(1);
        assertThat(cluster().err()).isEqualTo("kafka-cluster: error: too few arguments\n");
    }
}
