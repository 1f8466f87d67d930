package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BrokerHeartbeatsTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aSessionRunsOutAfterTheTimeoutWithoutHeartbeats() {
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(6_000);
        heartbeats.touch(1, 0);
        assertThat(heartbeats.expired(1, 6_000 * MS)).isFalse();
        assertThat(heartbeats.expired(1, 6_001 * MS)).isTrue();
    }

    @Test
    void aLostConnectionShortensTheSessionToTheGrace() {
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(6_000);
        heartbeats.touch(1, 0);
        assertThat(heartbeats.shorten(1, 100 * MS, 1_000 * MS)).isTrue();
        assertThat(heartbeats.expired(1, 1_100 * MS)).isFalse();
        assertThat(heartbeats.expired(1, 1_101 * MS)).isTrue();
    }

    @Test
    void aHeartbeatAfterTheLossRestoresAFullSession() {
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(6_000);
        heartbeats.touch(1, 0);
        heartbeats.shorten(1, 100 * MS, 1_000 * MS);
        heartbeats.touch(1, 500 * MS);
        assertThat(heartbeats.expired(1, 6_000 * MS)).isFalse();
    }

    @Test
    void aBrokerNotSeenSinceTakeoverHasASessionFromNowToShorten() {
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(6_000);
        assertThat(heartbeats.shorten(2, 0, 1_000 * MS)).isTrue();
        assertThat(heartbeats.expired(2, 1_000 * MS)).isFalse();
        assertThat(heartbeats.expired(2, 1_001 * MS)).isTrue();
    }

    @Test
    void shorteningNeverLengthensASession() {
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(6_000);
        heartbeats.touch(1, 0);
        // At 5.5 s the session ends at 6 s anyway: a 1 s grace would lengthen it.
        assertThat(heartbeats.shorten(1, 5_500 * MS, 1_000 * MS)).isFalse();
        assertThat(heartbeats.expired(1, 6_001 * MS)).isTrue();
    }
}
