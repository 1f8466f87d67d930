package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerGroupCommandTest {
    private final MockAdminClient admin = MockAdminClient.create().numBrokers(1).build();

    private ToolOutput groups(String... args) {
        return ToolOutput.run((a, o, e) -> ConsumerGroupCommand.run(a, o, e, p -> admin), args);
    }

    @Test
    void argumentErrors() {
        assertThat(groups("--bootstrap-server", "h").err())
                .isEqualTo("Command must include exactly one action: --list, --describe, --delete, --reset-offsets,"
                        + " --delete-offsets, --validate-regex\n");
        assertThat(groups("--list").err()).isEqualTo("Missing required argument \"[bootstrap-server]\"\n");
        assertThat(groups("--bootstrap-server", "h", "--describe").err())
                .isEqualTo("Option [describe] takes one of these options: [all-groups], [group]\n");
        var reset = groups("--bootstrap-server", "h", "--reset-offsets", "--group", "g", "--to-earliest");
        assertThat(reset.exitCode()).isEqualTo(1);
        assertThat(reset.err())
                .startsWith("WARN: No action will be performed as the --execute option is missing.")
                .endsWith("One of the reset scopes should be defined: --all-topics, --topic.\n");
        assertThat(groups("--bootstrap-server", "h", "--reset-offsets", "--group", "g", "--all-topics", "--dry-run")
                        .err())
                .startsWith("Option [reset-offsets] requires one of the following scenarios: [to-offset]");
    }

    @Test
    void validateRegex() {
        assertThat(groups("--validate-regex", "a.*").out()).isEqualTo("The regular expression `a.*` is valid.\n");
        assertThat(groups("--validate-regex", "a(").out()).startsWith("The regular expression `a(` is invalid: ");
    }

    @Test
    void stateOptionMayOmitItsValue() {
        // --describe --state needs no value; parsing must not swallow the next option.
        var r = groups("--bootstrap-server", "h", "--describe", "--state", "--group", "g");
        assertThat(r.err()).doesNotContain("takes one of these options");
    }
}
