package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka's balanced consumer (kcat -G): it joins a group, commits, and a second run resumes where it stopped;
 * two members with the cooperative-sticky assignor share the partitions, and when one leaves the other takes all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatGroupTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static List<String> kcat(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", node.bootstrapServers()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "v" + i + "\n").collect(Collectors.joining());
    }

    @Test
    void aBalancedKcatConsumerCommitsAndTheNextOneResumes() throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("kcat-group", 3, (short) 1)))
                    .all()
                    .get();
        }
        kcat(values(0, 90), "-P", "-t", "kcat-group");
        List<String> first =
                kcat(null, "-G", "kcat-grp", "-X", "auto.offset.reset=earliest", "-q", "-c", "90", "kcat-group");
        assertThat(first)
                .containsExactlyInAnyOrderElementsOf(values(0, 90).lines().toList());

        kcat(values(90, 120), "-P", "-t", "kcat-group");
        List<String> second =
                kcat(null, "-G", "kcat-grp", "-X", "auto.offset.reset=earliest", "-q", "-c", "30", "kcat-group");
        assertThat(second)
                .containsExactlyInAnyOrderElementsOf(values(90, 120).lines().toList());
    }

    /** A long-running kcat group member whose output lines are collected as they come. */
    static final class Member implements AutoCloseable {
        final Process process;
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        Member(String group, String topic) throws Exception {
            List<String> command = List.of(
                    "kcat",
                    "-b",
                    node.bootstrapServers(),
                    "-G",
                    group,
                    "-X",
                    "partition.assignment.strategy=cooperative-sticky",
                    "-X",
                    "auto.offset.reset=earliest",
                    "-X",
                    "auto.commit.interval.ms=200",
                    "-u",
                    "-q",
                    "-f",
                    "%s\\n",
                    topic);
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Thread reader = new Thread(() -> process.inputReader(StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .forEach(lines::add));
            reader.setDaemon(true);
            reader.start();
        }

        /** SIGTERM: kcat closes its consumer, which commits and leaves the group. */
        @Override
        public void close() throws Exception {
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    static ConsumerGroupDescription describe(String group) throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        }
    }

    static Set<Integer> partitionsOf(MemberDescription member) {
        return member.assignment().topicPartitions().stream()
                .map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }

    @Test
    void cooperativeKcatMembersSharePartitionsAndOneTakesOverWhenTheOtherLeaves() throws Exception {
        String topic = "kcat-coop";
        String group = "kcat-coop-grp";
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        kcat(keyed(0, 100), "-P", "-t", topic, "-K:");
        try (Member first = new Member(group, topic)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Set.copyOf(first.lines).size() == 100);
            try (Member second = new Member(group, topic)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    ConsumerGroupDescription description = describe(group);
                    assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
                    assertThat(description.partitionAssignor()).isEqualTo("cooperative-sticky");
                    assertThat(description.members()).hasSize(2);
                    Set<Integer> all = new HashSet<>();
                    for (MemberDescription member : description.members()) {
                        assertThat(partitionsOf(member)).hasSize(2);
                        all.addAll(partitionsOf(member));
                    }
                    assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3);
                });
                kcat(keyed(100, 200), "-P", "-t", topic, "-K:");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Set<String> seen = new HashSet<>(first.lines);
                    seen.addAll(second.lines);
                    assertThat(seen).containsAll(values(100, 200).lines().toList());
                    assertThat(second.lines).isNotEmpty();
                });
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ConsumerGroupDescription description = describe(group);
                assertThat(description.members()).hasSize(1);
                assertThat(partitionsOf(description.members().iterator().next()))
                        .containsExactlyInAnyOrder(0, 1, 2, 3);
            });
            kcat(keyed(200, 300), "-P", "-t", topic, "-K:");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(first.lines)
                    .containsAll(values(200, 300).lines().toList()));
        }
        try (Admin admin = Admin.create(node.adminConfig())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                long committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                                .mapToLong(OffsetAndMetadata::offset)
                                .sum();
                assertThat(committed).isEqualTo(300);
                assertThat(describe(group).groupState()).isEqualTo(GroupState.EMPTY);
            });
        }
    }

    private static String keyed(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> "k" + i + ":v" + i + "\n")
                .collect(Collectors.joining());
    }
}
