package io.herald.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.common.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cleaner's bounded dedupe map and its I/O throttle. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OffsetMapAndThrottlerTest {
    private static ByteBuffer key(String k) {
        return ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mapKeepsTheLatestOffsetPerKeyWithinItsBudget() {
        OffsetMap map = new OffsetMap(24 * 1000);
        assertThat(map.maxEntries()).isEqualTo(900);
        for (int i = 0; i < 900; i++) {
            map.put(key("k" + i), i);
        }
        assertThat(map.hasRoomFor(1)).isFalse();
        map.put(key("k7"), 5_000); // an existing key never needs room
        assertThat(map.size()).isEqualTo(900);
        assertThat(map.get(key("k7"))).isEqualTo(5_000);
        assertThat(map.get(key("k899"))).isEqualTo(899);
        assertThat(map.get(key("absent"))).isEqualTo(-1);
        assertThat(map.memoryBytes()).isEqualTo(24_000);
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(key("k7"))).isEqualTo(-1);
        assertThat(map.hasRoomFor(900)).isTrue();
    }

    @Test
    void throttlerPausesToHoldTheRate() {
        ManualClock clock = new ManualClock(0);
        List<Long> pauses = new ArrayList<>();
        Throttler t = new Throttler(1_000_000, clock, ms -> {
            pauses.add(ms);
            clock.advanceMs(ms);
        });
        for (int i = 0; i < 10; i++) {
            t.maybeThrottle(100_000); // 1 MB at 1 MB/s: about one second of pauses
        }
        assertThat(t.pausedMs()).isBetween(900L, 1_000L);
        assertThat(pauses).allMatch(ms -> ms > 0);

        Throttler unlimited = Throttler.unlimited(clock);
        unlimited.maybeThrottle(Long.MAX_VALUE / 2);
        assertThat(unlimited.pausedMs()).isZero();
    }
}
