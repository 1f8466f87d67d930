package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The production scheduler runs one-shot and periodic tasks and survives failing ones. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExecutorSchedulerTest {
    @Test
    void runsOneShotAndPeriodicTasksAndSurvivesFailures() {
        AtomicInteger once = new AtomicInteger();
        AtomicInteger periodic = new AtomicInteger();
        try (ExecutorScheduler scheduler = new ExecutorScheduler("test-storage")) {
            scheduler.schedule(
                    "boom",
                    () -> {
                        throw new IllegalStateException("expected in test");
                    },
                    0);
            scheduler.schedule("once", once::incrementAndGet, 1);
            scheduler.schedulePeriodic(
                    "periodic",
                    () -> {
                        if (periodic.incrementAndGet() == 1) {
                            throw new IllegalStateException("a failing run must not cancel later runs");
                        }
                    },
                    1);
            await().atMost(Duration.ofSeconds(5)).until(() -> periodic.get() >= 3 && once.get() == 1);
        }
        assertThat(once.get()).isEqualTo(1);
    }
}
