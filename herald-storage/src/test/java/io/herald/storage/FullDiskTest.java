package io.herald.storage;

import static io.herald.storage.TestRecords.offsets;
import static io.herald.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.ManualClock;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log dir on a real 4 MiB file system filled to ENOSPC: a failed write is never acknowledged nor half-applied, the
 * dir goes offline while the other dir keeps serving, shutdown survives it, and after freeing space and restarting
 * every acknowledged record (and nothing else) is there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FullDiskTest {
    static final TopicPartition ON_SMALL = new TopicPartition("small", 0);
    static final TopicPartition ON_BIG = new TopicPartition("big", 0);

    @TempDir
    Path tmp;

    SmallDisk disk;
    File bigDir;
    ManualClock clock = new ManualClock(LogFixture.START_MS);
    ManualScheduler scheduler = new ManualScheduler(clock);
    LogConfig config = LogConfig.fromProperties(
            Map.of("internal.segment.bytes", Integer.toString(512 * 1024), "index.interval.bytes", "4096"),
            LogConfig.DEFAULTS);
    AtomicInteger allFailed = new AtomicInteger();
    LogManager manager;

    @BeforeEach
    void setUp() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("small-disk"), 4);
        bigDir = tmp.resolve("big-disk").toFile();
        manager = start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (manager != null) {
            manager.shutdown();
        }
        if (disk != null) {
            disk.close();
        }
    }

    private LogManager start() {
        LogManagerConfig cfg = new LogManagerConfig(
                List.of(disk.path().toFile(), bigDir), 1, 300_000, 1000, 60_000, 86_400_000, config);
        LogManager m = new LogManager(cfg, clock, scheduler, topic -> config);
        m.onAllDirsFailed(allFailed::incrementAndGet);
        m.startup();
        return m;
    }

    private static MemoryRecords batch(int n) {
        byte[] value = new byte[6000];
        value[0] = 'x';
        byte[] tag = ("v" + n).getBytes(StandardCharsets.UTF_8);
        return MemoryRecords.withRecords(
                Compression.NONE,
                new SimpleRecord(LogFixture.START_MS, tag, value),
                new SimpleRecord(LogFixture.START_MS, tag, tag));
    }

    private static List<String> keysOf(PartitionLog log) {
        List<String> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, Integer.MAX_VALUE, log.logEndOffset(), true);
            List<Long> offs = offsets(info.records());
            values(info.records()).stream().filter(v -> v.startsWith("v")).forEach(out::add);
            next = offs.get(offs.size() - 1) + 1;
        }
        return out;
    }

    @Test
    void fullDiskTakesItsDirOfflineAndEveryAcknowledgedRecordSurvivesRestart() throws Exception {
        PartitionLog small = manager.getOrCreateLog(ON_SMALL, Uuid.randomUuid(), config);
        PartitionLog big = manager.getOrCreateLog(ON_BIG, Uuid.randomUuid(), config);
        assertThat(small.dir().getParentFile()).isEqualTo(disk.path().toFile());
        // Leave room for a few segments, then fill the rest so the log hits ENOSPC mid-segment.
        Files.write(disk.path().resolve("ballast"), new byte[1024 * 1024]);
        List<String> acknowledged = new ArrayList<>();
        int n = 0;
        while (true) {
            try {
                small.append(batch(n), 0);
                acknowledged.add("v" + n);
                n++;
            } catch (KafkaStorageException e) {
                break;
            }
            assertThat(n).as("the 4 MiB disk never filled").isLessThan(2000);
        }
        assertThat(manager.offlineDirs()).containsExactly(disk.path().toFile().getAbsoluteFile());
        // Space comes back, yet the failed dir stays offline: nothing more is acknowledged there.
        Files.delete(disk.path().resolve("ballast"));
        for (int i = 0; i < 3; i++) {
            int tag = n + 1 + i;
            assertThatThrownBy(() -> small.append(batch(tag), 0)).isInstanceOf(KafkaStorageException.class);
        }
        assertThatThrownBy(() -> small.read(0, 1000, small.logEndOffset(), true))
                .isInstanceOf(KafkaStorageException.class);
        // New logs go to the dirs still online.
        PartitionLog other = manager.getOrCreateLog(new TopicPartition("other", 0), Uuid.randomUuid(), config);
        assertThat(other.dir().getParentFile()).isEqualTo(bigDir);
        // The other dir keeps serving.
        big.append(batch(1), 0);
        assertThat(keysOf(big)).containsExactly("v1");
        assertThat(allFailed).hasValue(0);
        manager.checkpoint();
        scheduler.runDue();
        assertThatCode(manager::shutdown).doesNotThrowAnyException();
        manager = null;
        assertThat(disk.path().resolve(LogManager.CLEAN_SHUTDOWN_FILE)).doesNotExist();
        assertThat(new File(bigDir, LogManager.CLEAN_SHUTDOWN_FILE)).exists();

        manager = start();
        assertThat(manager.offlineDirs()).isEmpty();
        PartitionLog reopened = manager.getLog(ON_SMALL).orElseThrow();
        assertThat(keysOf(reopened)).isEqualTo(acknowledged);
        reopened.append(batch(9999), 0);
        acknowledged.add("v9999");
        assertThat(keysOf(reopened)).isEqualTo(acknowledged);
        assertThat(keysOf(manager.getLog(ON_BIG).orElseThrow())).containsExactly("v1");
    }

    @Test
    void deletingALogOnAFullDiskFreesItsFiles() throws Exception {
        PartitionLog small = manager.getOrCreateLog(ON_SMALL, Uuid.randomUuid(), config);
        for (int i = 0; i < 50; i++) {
            small.append(batch(i), 0);
        }
        disk.fill("ballast");
        assertThat(disk.path().toFile().getUsableSpace()).isLessThan(4096);

        assertThatCode(() -> manager.deleteLog(ON_SMALL)).doesNotThrowAnyException();
        clock.advanceMs(config.fileDeleteDelayMs());
        scheduler.runDue();

        String[] left = disk.path().toFile().list((d, name) -> name.startsWith("small-0"));
        assertThat(left).as(Arrays.toString(left)).isEmpty();
        assertThat(disk.path().toFile().getUsableSpace())
                .as("the log's 300 KB are free again")
                .isGreaterThan(200_000);
        // The checkpoint after the deletion could not be written either: as in Kafka, that takes the dir offline.
        assertThat(manager.offlineDirs()).containsExactly(disk.path().toFile().getAbsoluteFile());
    }
}
