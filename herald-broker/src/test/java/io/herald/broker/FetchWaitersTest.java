package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FetchWaitersTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void anAppendWakesAWaitingFetchWhichCompletesOnce() {
        try (FetchWaiters waiters = new FetchWaiters()) {
            AtomicInteger checks = new AtomicInteger();
            AtomicBoolean dataReady = new AtomicBoolean();
            AtomicInteger completions = new AtomicInteger();
            waiters.await(Set.of(TP), 60_000, deadline -> {
                checks.incrementAndGet();
                if (dataReady.get() || deadline) {
                    completions.incrementAndGet();
                    return true;
                }
                return false;
            });
            assertThat(checks.get()).as("checked once on registration").isEqualTo(1);
            waiters.dataArrived(new TopicPartition("other", 0));
            assertThat(checks.get()).isEqualTo(1);
            dataReady.set(true);
            waiters.dataArrived(TP);
            waiters.dataArrived(TP);
            assertThat(completions.get()).isEqualTo(1);
            assertThat(waiters.hasRoom()).isTrue();
            assertThat(waiters.watchedPartitions()).as("no watcher left behind").isZero();
        }
    }

    @Test
    void theDeadlineCompletesAFetchThatNeverGetsData() {
        try (FetchWaiters waiters = new FetchWaiters()) {
            AtomicBoolean atDeadline = new AtomicBoolean();
            waiters.await(Set.of(TP), 50, deadline -> {
                atDeadline.set(deadline);
                return deadline;
            });
            await().atMost(Duration.ofSeconds(10)).untilTrue(atDeadline);
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters.watchedPartitions() == 0);
        }
    }
}
