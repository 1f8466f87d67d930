package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GroupsCommandTest {
    private static final List<GroupListing> GROUPS = List.of(
            new GroupListing("orders", Optional.of(GroupType.CLASSIC), "consumer", Optional.of(GroupState.STABLE)),
            new GroupListing("shares", Optional.of(GroupType.SHARE), "share", Optional.of(GroupState.EMPTY)));

    @Test
    void tableAndFilters() {
        var all = new GroupsCommand.Filter(Optional.empty(), Optional.empty(), false, false, false);
        String f = "%-20s";
        assertThat(GroupsCommand.table(GROUPS, all))
                .isEqualTo(String.format(f + " " + f + " " + f + "%n", "GROUP", "TYPE", "PROTOCOL")
                        + String.format(f + " " + f + " " + f + " %n", "orders", "Classic", "consumer")
                        + String.format(f + " " + f + " " + f + " %n", "shares", "Share", "share"));
        var share = new GroupsCommand.Filter(Optional.empty(), Optional.empty(), false, true, false);
        assertThat(GroupsCommand.table(GROUPS, share)).contains("shares").doesNotContain("orders");
        var consumer = new GroupsCommand.Filter(Optional.empty(), Optional.empty(), true, false, false);
        assertThat(GroupsCommand.table(GROUPS, consumer)).contains("orders").doesNotContain("shares");
    }

    @Test
    void argumentErrors() {
        assertThat(ToolOutput.run(GroupsCommand::run, "--bootstrap-server", "h").err())
                .isEqualTo("Command must include exactly one action: --list.\n");
        assertThat(ToolOutput.run(GroupsCommand::run, "--bootstrap-server", "h", "--list", "--group-type", "x")
                        .err())
                .isEqualTo("--group-type must be a valid group type.\n");
        assertThat(ToolOutput.run(GroupsCommand::run, "--bootstrap-server", "h", "--list", "--share", "--streams")
                        .err())
                .isEqualTo("Option \"[share]\" can't be used with option \"[streams]\"\n");
    }
}
