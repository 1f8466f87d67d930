package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KafkaRunClassTest {
    @Test
    void mapsKafkaToolClassNames() {
        assertThat(KafkaRunClass.resolve("org.apache.kafka.tools.GetOffsetShell"))
                .isEqualTo(GetOffsetShell.class);
        assertThat(KafkaRunClass.resolve("kafka.tools.StorageTool")).isEqualTo(StorageTool.class);
        assertThat(KafkaRunClass.resolve("org.apache.kafka.tools.consumer.ConsoleConsumer"))
                .isEqualTo(ConsoleConsumer.class);
        assertThat(KafkaRunClass.resolve("io.herald.tools.TopicsCommand")).isEqualTo(TopicsCommand.class);
        assertThat(KafkaRunClass.resolve("no.such.Clazz")).isNull();
    }

    @Test
    void runsMappedToolInProcess() {
        var r = ToolOutput.run(KafkaRunClass::run, "-name", "x", "-loggc", "kafka.tools.StorageTool", "random-uuid");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().trim()).hasSize(22);
        assertThat(ToolOutput.run(KafkaRunClass::run, "x.Y").err())
                .isEqualTo("Error: Could not find or load main class x.Y\n");
    }
}
