package io.herald.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server-side assignors: uniform balances and sticks, range lines up co-partitioned topics. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AssignorsTest {
    private final Uuid t1 = Uuid.randomUuid();
    private final Uuid t2 = Uuid.randomUuid();

    private static int count(Map<Uuid, Set<Integer>> partitions) {
        return partitions.values().stream().mapToInt(Set::size).sum();
    }

    @Test
    void uniformSpreadsEvenlyAndKeepsWhatMembersHad() {
        List<Assignors.MemberSpec> three = List.of(
                new Assignors.MemberSpec("a", Set.of(t1)),
                new Assignors.MemberSpec("b", Set.of(t1)),
                new Assignors.MemberSpec("c", Set.of(t1)));
        var first = Assignors.assign("uniform", three, Map.of(t1, 7), Map.of());
        assertThat(first.values()).extracting(AssignorsTest::count).containsExactlyInAnyOrder(3, 2, 2);

        var two = Assignors.assign("uniform", three.subList(0, 2), Map.of(t1, 7), first);
        assertThat(two.values()).extracting(AssignorsTest::count).containsExactlyInAnyOrder(4, 3);
        // Sticky: a and b keep every partition they had.
        assertThat(two.get("a").get(t1)).containsAll(first.get("a").get(t1));
        assertThat(two.get("b").get(t1)).containsAll(first.get("b").get(t1));
    }

    @Test
    void rangeGivesEachMemberTheSameRangeOfEveryTopic() {
        List<Assignors.MemberSpec> members =
                List.of(new Assignors.MemberSpec("b", Set.of(t1, t2)), new Assignors.MemberSpec("a", Set.of(t1, t2)));
        var result = Assignors.assign("range", members, Map.of(t1, 3, t2, 3), Map.of());
        assertThat(result.get("a").get(t1)).containsExactly(0, 1);
        assertThat(result.get("a").get(t2)).containsExactly(0, 1);
        assertThat(result.get("b").get(t1)).containsExactly(2);
        assertThat(result.get("b").get(t2)).containsExactly(2);
    }

    @Test
    void membersOnlyGetTopicsTheySubscribeTo() {
        List<Assignors.MemberSpec> members =
                List.of(new Assignors.MemberSpec("a", Set.of(t1)), new Assignors.MemberSpec("b", Set.of(t2)));
        var result = Assignors.assign("uniform", members, Map.of(t1, 2, t2, 4), Map.of());
        assertThat(result.get("a")).containsOnlyKeys(t1);
        assertThat(result.get("b")).containsOnlyKeys(t2);
        assertThat(count(result.get("a")) + count(result.get("b"))).isEqualTo(6);
    }
}
