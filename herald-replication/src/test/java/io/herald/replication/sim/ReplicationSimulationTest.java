package io.herald.replication.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the replication simulation over many seeds. On a violation it prints the seed, the broken invariant and the
 * last steps. Properties: {@code -Dsim.schedules=N} sets the number of schedules per cluster size (default below),
 * {@code -Dsim.seed=S} reruns one seed (with {@code -Dsim.brokers=3|5}, {@code -Dsim.trace=N} steps of trace).
 *
 * <pre>mvn -B -o -pl herald-replication -am test -Dtest=ReplicationSimulationTest -Dsurefire.failIfNoSpecifiedTests=false -Dsim.seed=42</pre>
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReplicationSimulationTest {
    private static final int DEFAULT_SCHEDULES_3 = 1_200;
    private static final int DEFAULT_SCHEDULES_5 = 300;
    private static final int BROKEN_RULE_SEEDS = 1_000;

    @Test
    void threeReplicasKeepEveryAcknowledgedRecord() {
        runSchedules(3, Integer.getInteger("sim.schedules", DEFAULT_SCHEDULES_3));
    }

    @Test
    void fiveReplicasKeepEveryAcknowledgedRecord() {
        runSchedules(5, Integer.getInteger("sim.schedules", DEFAULT_SCHEDULES_5));
    }

    @Test
    void aSeedReplaysTheSameRun() {
        long seed = Long.getLong("sim.seed", 20_261_207L);
        int brokers = Integer.getInteger("sim.brokers", 3);
        int traceLength = Integer.getInteger("sim.trace", 200);
        ReplicationSimulation.Result first = ReplicationSimulation.run(seed, brokers, Set.of(), traceLength);
        if (System.getProperty("sim.seed") != null) {
            System.out.println(first.report());
        }
        ReplicationSimulation.Result second = ReplicationSimulation.run(seed, brokers, Set.of(), traceLength);
        assertThat(second.trace().toString()).isEqualTo(first.trace().toString());
        assertThat(second.steps()).isEqualTo(first.steps());
        assertThat(first.ok()).as(first::report).isTrue();
    }

    /** The checker is only worth something if it catches a broken rule: each one must be caught within a few seeds. */
    @ParameterizedTest
    @EnumSource(SimConfig.Broken.class)
    void theCheckerCatchesABrokenRule(SimConfig.Broken rule) {
        for (long seed = 1; seed <= BROKEN_RULE_SEEDS; seed++) {
            ReplicationSimulation.Result result = ReplicationSimulation.run(seed, 3, EnumSet.of(rule), 40);
            if (!result.ok()) {
                System.out.println("broken rule " + rule + " caught at seed " + seed + ": " + result.violation());
                return;
            }
        }
        throw new AssertionError("the checker did not catch " + rule + " within " + BROKEN_RULE_SEEDS + " seeds");
    }

    private static void runSchedules(int brokers, int schedules) {
        long firstSeed = Long.getLong("sim.firstSeed", 1L);
        long steps = 0;
        long acknowledged = 0;
        long elrElections = 0;
        long started = System.nanoTime();
        for (long seed = firstSeed; seed < firstSeed + schedules; seed++) {
            ReplicationSimulation.Result result = ReplicationSimulation.run(seed, brokers, Set.of(), 60);
            if (!result.ok()) {
                System.out.println(result.report());
                throw new AssertionError("seed " + seed + " (" + brokers + " brokers) violates an invariant: "
                        + result.violation() + "\nrerun with -Dsim.seed=" + seed + " -Dsim.brokers=" + brokers);
            }
            steps += result.steps();
            acknowledged += result.acknowledged();
            elrElections += result.elrElections();
        }
        System.out.printf(
                "%d schedules of %d brokers: %d steps, %d acknowledged records, %d eligible-leader elections, %d ms%n",
                schedules,
                brokers,
                steps,
                acknowledged,
                elrElections,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        if (schedules >= 100) {
            assertThat(elrElections)
                    .as("schedules with eligible leader replicas (KIP-966) elect from them")
                    .isPositive();
        }
    }
}
