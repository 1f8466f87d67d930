package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ToolLoggingTest {
    @Test
    void configurationIsOnTheClassPath() {
        assertThat(ToolLogging.class.getClassLoader().getResource(ToolLogging.CONFIG_RESOURCE))
                .isNotNull();
    }
}
