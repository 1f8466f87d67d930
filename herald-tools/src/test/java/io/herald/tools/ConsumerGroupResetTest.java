package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kafka-consumer-groups.sh --reset-offsets} against an in-memory cluster. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerGroupResetTest {
    private static final TopicPartition T0 = new TopicPartition("orders", 0);
    private static final TopicPartition T1 = new TopicPartition("orders", 1);

    private final MockAdminClient admin = MockAdminClient.create().numBrokers(1).build();
    private final FakeGroups cluster =
            new FakeGroups().topic("orders", 2, 10, 100).group("g", GroupState.EMPTY, Map.of(T0, 50L, T1, 60L));

    private ToolOutput groups(String... args) {
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T00:00:00Z"), ZoneOffset.UTC);
        return ToolOutput.run((a, o, e) -> ConsumerGroupCommand.run(a, o, e, p -> admin, x -> cluster, clock), args);
    }

    private ToolOutput reset(String... extra) {
        var args = new java.util.ArrayList<>(java.util.List.of("--bootstrap-server", "h", "--reset-offsets"));
        args.addAll(java.util.List.of(extra));
        return groups(args.toArray(String[]::new));
    }

    private static String plan(String... rows) {
        var out = new StringBuilder(
                String.format("%n%-30s %-30s %-10s %-15s", "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
        for (String row : rows) {
            String[] f = row.split(" ");
            out.append(String.format("%n%-30s %-30s %-10s %-15s", f[0], f[1], f[2], f[3]));
        }
        return out.append('\n').toString();
    }

    @Test
    void toEarliestIsADryRunByDefault() {
        var r = reset("--group", "g", "--topic", "orders", "--to-earliest");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(plan("g orders 0 10", "g orders 1 10"));
        assertThat(r.err()).startsWith("WARN: No action will be performed as the --execute option is missing. In a");
        assertThat(cluster.altered).isEmpty();
    }

    @Test
    void executeCommitsThePlan() {
        var r = reset("--group", "g", "--topic", "orders:1", "--to-latest", "--execute");
        assertThat(r.out()).isEqualTo(plan("g orders 1 100"));
        assertThat(r.err()).isEmpty();
        assertThat(cluster.altered).isEqualTo(Map.of("g", Map.of(T1, new OffsetAndMetadata(100))));
    }

    @Test
    void shiftByAndToOffsetStayInsideTheLog() {
        assertThat(reset("--group", "g", "--all-topics", "--shift-by", "-45", "--dry-run")
                        .out())
                .isEqualTo(plan("g orders 0 10", "g orders 1 15"));
        assertThat(reset("--group", "g", "--topic", "orders", "--to-offset", "500", "--dry-run")
                        .out())
                .isEqualTo(plan("g orders 0 100", "g orders 1 100"));
        assertThat(reset("--group", "g", "--all-topics", "--to-current", "--dry-run")
                        .out())
                .isEqualTo(plan("g orders 0 50", "g orders 1 60"));
    }

    @Test
    void shiftByNeedsACommittedOffset() {
        cluster.committed.put("g", Map.of(T0, new OffsetAndMetadata(50)));
        var r = reset("--group", "g", "--topic", "orders", "--shift-by", "1", "--dry-run");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("Cannot shift offset for partition orders-1 since there is no current committed offset\n");
    }

    @Test
    void byTimeFallsBackToTheLatestOffsetOfEmptyPartitions() {
        cluster.byTimestamp.put(T0, 42L);
        var r = reset("--group", "g", "--topic", "orders", "--to-datetime", "2026-01-01T00:00:00.000", "--dry-run");
        assertThat(r.out())
                .isEqualTo("\nWarn: Partition 1 from topic orders is empty. Falling back to latest known offset.\n"
                        + plan("g orders 0 42", "g orders 1 100"));
        assertThat(reset("--group", "g", "--topic", "orders:0", "--by-duration", "PT1H", "--dry-run")
                        .out())
                .isEqualTo(plan("g orders 0 42"));
        var bad = reset("--group", "g", "--topic", "orders:0", "--to-datetime", "yesterday", "--dry-run");
        assertThat(bad.out())
                .isEqualTo("\nError: Executing consumer group command failed due to java.text.ParseException: Error"
                        + " parsing timestamp. It does not contain a 'T' according to ISO8601 format\n");
    }

    @Test
    void fromFileAndExport(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plan.csv");
        Files.writeString(file, "orders,0,20\norders,1,5\n");
        var r = reset("--group", "g", "--from-file", file.toString(), "--dry-run");
        assertThat(r.out()).isEqualTo(plan("g orders 0 20", "g orders 1 10"));
        var export = reset("--group", "g", "--topic", "orders", "--to-earliest", "--dry-run", "--export");
        assertThat(export.out()).isEqualTo("orders,0,10\norders,1,10\n\n");
        Files.writeString(file, "g,orders,1,30\n");
        cluster.group("h", GroupState.EMPTY, Map.of());
        var withGroups = reset("--group", "g", "--group", "h", "--from-file", file.toString(), "--dry-run");
        assertThat(withGroups.out()).isEqualTo("\nError: No reset plan for group h found.\n" + plan("g orders 1 30"));
    }

    @Test
    void activeGroupsAndUnknownPartitionsAreRefused() {
        cluster.group("live", GroupState.STABLE, Map.of());
        var r = reset("--group", "live", "--all-topics", "--to-earliest", "--dry-run");
        assertThat(r.out())
                .isEqualTo("\nError: Assignments can only be reset if the group 'live' is inactive, but the current"
                        + " state is Stable.\n"
                        + String.format("%n%-30s %-30s %-10s %-15s%n", "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
        cluster.streamsGroups.add("g");
        assertThat(reset("--group", "g", "--all-topics", "--to-earliest", "--dry-run")
                        .out())
                .startsWith(
                        "\nError: Group 'g' is a streams group. Use kafka-streams-groups.sh to reset its offsets.\n");
        cluster.streamsGroups.clear();
        var unknown = reset("--group", "g", "--topic", "orders:7", "--to-earliest", "--dry-run");
        assertThat(unknown.out())
                .isEqualTo("\nError: Executing consumer group command failed due to The partitions \"orders-7\" do"
                        + " not exist\n");
    }

    @Test
    void optionErrors() {
        assertThat(reset("--group", "g", "--all-topics", "--to-earliest", "--to-latest", "--dry-run")
                        .err())
                .isEqualTo("Option \"[to-earliest]\" can't be used with option \"[to-latest]\"\n");
        assertThat(reset("--group", "g", "--all-topics", "--to-earliest", "--dry-run", "--execute")
                        .err())
                .isEqualTo("Option [reset-offsets] only accepts one of [execute] and [dry-run]\n");
        assertThat(reset("--group", "g", "--all-groups", "--all-topics", "--to-earliest", "--dry-run")
                        .err())
                .isEqualTo("Option \"[group]\" can't be used with option \"[all-groups]\"\n");
    }
}
