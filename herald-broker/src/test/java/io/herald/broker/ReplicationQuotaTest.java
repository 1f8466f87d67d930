package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplicationQuotaTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void listsNameThePartitionsOfThisBrokerOnly() {
        ReplicationQuota quota = new ReplicationQuota("leader", 2, 11, 1);
        quota.setReplicas("t", "0:1, 0:2,1:3,bad,x:2");
        assertThat(quota.isThrottled(P0)).isTrue();
        assertThat(quota.isThrottled(P1)).as("1:3 is another broker's replica").isFalse();
        assertThat(quota.isThrottled(new TopicPartition("other", 0))).isFalse();

        quota.setReplicas("t", "*");
        assertThat(quota.isThrottled(P1))
                .as("a wildcard throttles every replica")
                .isTrue();

        quota.setReplicas("t", null);
        assertThat(quota.isThrottled(P0))
                .as("a removed config throttles nothing")
                .isFalse();
    }

    @Test
    void theRateIsExceededOnceTheWindowsHoldMoreThanItAllows() {
        ReplicationQuota quota = new ReplicationQuota("follower", 1, 2, 1);
        long now = 1_000_000;
        assertThat(quota.isExceeded(now)).isFalse();
        quota.record(10_000_000, now);
        assertThat(quota.isExceeded(now)).as("unlimited by default").isFalse();
        assertThat(quota.delayMs(now)).isZero();

        quota.setRate("1000");
        assertThat(quota.isExceeded(now)).isTrue();
        assertThat(quota.delayMs(now)).isBetween(1L, 1000L);
        assertThat(quota.isExceeded(now + 5_000))
                .as("the bytes left the two one-second windows")
                .isFalse();

        quota.setRate(null);
        assertThat(quota.isExceeded(now))
                .as("a removed rate is unlimited again")
                .isFalse();
    }

    @Test
    void aSteadyRecorderIsHeldToTheRate() {
        ReplicationQuota quota = new ReplicationQuota("leader", 1, 2, 1);
        quota.setRate("100000");
        long start = 5_000_000;
        long moved = 0;
        for (long now = start; now < start + 10_000; now += 10) {
            if (!quota.isExceeded(now)) {
                int chunk = quota.bound(1024 * 1024);
                quota.record(chunk, now);
                moved += chunk;
            }
        }
        assertThat(moved).as("about 10 s at 100 kB/s").isBetween(900_000L, 1_300_000L);
    }

    @Test
    void aFetchTakesAtMostOneWindowOfTheRate() {
        ReplicationQuota quota = new ReplicationQuota("leader", 1, 11, 1);
        assertThat(quota.bound(1 << 20)).isEqualTo(1 << 20);
        quota.setRate("65536");
        assertThat(quota.bound(1 << 20)).isEqualTo(65536);
        assertThat(quota.bound(1000)).isEqualTo(1000);
        quota.setRate("0");
        assertThat(quota.bound(1000)).isEqualTo(1);
    }
}
