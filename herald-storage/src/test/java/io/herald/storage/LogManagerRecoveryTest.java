package io.herald.storage;

import static io.herald.storage.TestRecords.batch;
import static io.herald.storage.TestRecords.offsets;
import static io.herald.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.common.ManualClock;
import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** LogManager lifecycle: checkpoints, clean-shutdown marker, crash recovery, placement across dirs, deletion, tasks. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogManagerRecoveryTest {
    static final TopicPartition TP = new TopicPartition("events", 3);
    static final Uuid TOPIC_ID = Uuid.randomUuid();

    @TempDir
    Path tmp;

    ManualClock clock = new ManualClock(LogFixture.START_MS);
    ManualScheduler scheduler = new ManualScheduler(clock);
    LogManager manager;
    LogConfig small = LogConfig.fromProperties(
            Map.of("internal.segment.bytes", "400", "index.interval.bytes", "1"), LogConfig.DEFAULTS);

    @BeforeEach
    void setUp() {
        manager = start(tmp.resolve("d1").toFile());
    }

    @AfterEach
    void tearDown() {
        manager.shutdown();
    }

    private LogManager start(File... dirs) {
        LogManagerConfig cfg = new LogManagerConfig(List.of(dirs), 2, 300_000, 1000, 60_000, 86_400_000, small);
        LogManager m = new LogManager(cfg, clock, scheduler, topic -> small);
        m.startup();
        return m;
    }

    private PartitionLog createAndFill(int batches) {
        PartitionLog log = manager.getOrCreateLog(TP, TOPIC_ID, small);
        for (int i = 0; i < batches; i++) {
            log.append(batch(clock.millis(), "v" + i, 2), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    private File partitionDir() {
        return tmp.resolve("d1").resolve("events-3").toFile();
    }

    private File lastLogFile() {
        File[] logs = partitionDir().listFiles((d, n) -> n.endsWith(".log"));
        java.util.Arrays.sort(logs);
        return logs[logs.length - 1];
    }

    private List<String> readAll(PartitionLog log) {
        List<String> out = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, Integer.MAX_VALUE, log.logEndOffset(), true);
            List<Long> offs = offsets(info.records());
            out.addAll(values(info.records()));
            next = offs.get(offs.size() - 1) + 1;
        }
        return out;
    }

    @Test
    void cleanShutdownWritesMarkerCheckpointsAndMetadata() throws Exception {
        createAndFill(5);
        manager.shutdown();
        File d1 = tmp.resolve("d1").toFile();
        assertThat(new File(d1, ".kafka_cleanshutdown")).exists();
        assertThat(Files.readAllLines(new File(d1, "recovery-point-offset-checkpoint").toPath()))
                .containsExactly("0", "1", "events 3 10");
        assertThat(Files.readAllLines(new File(partitionDir(), "partition.metadata").toPath()))
                .containsExactly("version: 0", "topic_id: " + TOPIC_ID);
        assertThat(new File(partitionDir(), LogFilesForTest.stem(10) + ".snapshot"))
                .exists();

        manager = start(d1);
        assertThat(new File(d1, ".kafka_cleanshutdown")).doesNotExist();
        PartitionLog log = manager.getLog(TP).orElseThrow();
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(readAll(log)).hasSize(10);
    }

    @Test
    void tornTailIsTruncatedAfterCrashAndAppendsContinue() throws Exception {
        PartitionLog log = createAndFill(6);
        log.flush();
        manager.checkpoint();
        log.append(batch(clock.millis(), "unflushed", 3), 0); // offsets 12..14
        manager.simulateCrash();
        File last = lastLogFile();
        try (RandomAccessFile raf = new RandomAccessFile(last, "rw")) {
            raf.setLength(raf.length() - 7); // tear the unflushed batch
        }
        new File(partitionDir(), "00000000000000000000.index").delete();

        manager = start(tmp.resolve("d1").toFile());
        PartitionLog recovered = manager.getLog(TP).orElseThrow();
        assertThat(recovered.logEndOffset()).isEqualTo(12);
        assertThat(readAll(recovered)).hasSize(12).startsWith("v0-0").endsWith("v5-1");
        for (long off = 0; off < 12; off++) {
            assertThat(offsets(recovered.read(off, 1, 12, true).records())).contains(off);
        }
        assertThat(recovered.append(batch(clock.millis(), "again", 1), 0).firstOffset())
                .isEqualTo(12);
    }

    @Test
    void corruptByteTruncatesFromTheCorruptBatch() throws Exception {
        createAndFill(2); // batches 0..1 and 2..3 in one segment
        manager.simulateCrash();
        File logFile = lastLogFile();
        long size = logFile.length();
        try (RandomAccessFile raf = new RandomAccessFile(logFile, "rw")) {
            raf.seek(size - 2);
            int b = raf.read();
            raf.seek(size - 2);
            raf.write(b ^ 0xff);
        }
        manager = start(tmp.resolve("d1").toFile());
        PartitionLog recovered = manager.getLog(TP).orElseThrow();
        assertThat(recovered.logEndOffset()).isEqualTo(2);
        assertThat(readAll(recovered)).containsExactly("v0-0", "v0-1");
    }

    @Test
    void strayTailBytesAreCutEvenAfterCleanShutdown() throws Exception {
        createAndFill(3);
        manager.shutdown();
        long goodLength = lastLogFile().length();
        Files.write(lastLogFile().toPath(), new byte[] {0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        manager = start(tmp.resolve("d1").toFile());
        PartitionLog log = manager.getLog(TP).orElseThrow();
        assertThat(lastLogFile().length()).isEqualTo(goodLength);
        assertThat(log.append(batch(clock.millis(), "x", 1), 0).firstOffset()).isEqualTo(6);
        assertThat(readAll(log)).hasSize(7);
    }

    @Test
    void cleanMarkerSkipsCrcRecoveryButCrashWithoutMarkerRecovers() throws Exception {
        createAndFill(3);
        manager.shutdown();
        File d1 = tmp.resolve("d1").toFile();
        flipLastByte(lastLogFile());
        // With the marker the files are trusted: no CRC scan, the damaged batch is still counted.
        manager = start(d1);
        assertThat(manager.getLog(TP).orElseThrow().logEndOffset()).isEqualTo(6);
        manager.simulateCrash();
        // Without it (and with the recovery point before the damage) the partition is rescanned and cut.
        Files.delete(new File(d1, "recovery-point-offset-checkpoint").toPath());
        manager = start(d1);
        PartitionLog log = manager.getLog(TP).orElseThrow();
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.append(batch(clock.millis(), "x", 1), 0).firstOffset()).isEqualTo(4);
        assertThat(readAll(log)).hasSize(5);
    }

    private static void flipLastByte(File file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.seek(raf.length() - 1);
            int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 0xff);
        }
    }

    @Test
    void manyPartitionsRecoverInParallelAfterCrash() {
        for (int p = 0; p < 6; p++) {
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("many", p), TOPIC_ID, small);
            for (int i = 0; i <= p; i++) {
                log.append(batch(clock.millis(), "m" + i, 2), 0);
            }
        }
        manager.simulateCrash();
        manager = start(tmp.resolve("d1").toFile());
        for (int p = 0; p < 6; p++) {
            PartitionLog log = manager.getLog(new TopicPartition("many", p)).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(2L * (p + 1));
        }
    }

    @Test
    void newPartitionsGoToTheLeastLoadedDir() {
        manager.shutdown();
        File a = tmp.resolve("a").toFile();
        File b = tmp.resolve("b").toFile();
        manager = start(a, b);
        for (int p = 0; p < 4; p++) {
            manager.getOrCreateLog(new TopicPartition("t", p), TOPIC_ID, small);
        }
        assertThat(a.list((d, n) -> n.startsWith("t-"))).hasSize(2);
        assertThat(b.list((d, n) -> n.startsWith("t-"))).hasSize(2);
        assertThat(manager.allLogs()).hasSize(4);
    }

    @Test
    void severalDirsReloadAndAPartitionInTwoDirsIsRefused() throws Exception {
        manager.shutdown();
        File a = tmp.resolve("a").toFile();
        File b = tmp.resolve("b").toFile();
        manager = start(a, b);
        for (int p = 0; p < 4; p++) {
            manager.getOrCreateLog(new TopicPartition("t", p), TOPIC_ID, small)
                    .append(batch(clock.millis(), "p" + p, p + 1), 0);
        }
        manager.shutdown();
        manager = start(a, b);
        for (int p = 0; p < 4; p++) {
            assertThat(manager.getLog(new TopicPartition("t", p)).orElseThrow().logEndOffset())
                    .isEqualTo(p + 1);
        }
        manager.shutdown();
        String inA = a.list((d, n) -> n.startsWith("t-"))[0];
        Files.createDirectories(b.toPath().resolve(inA));
        assertThatThrownBy(() -> start(a, b))
                .isInstanceOf(org.apache.kafka.common.errors.KafkaStorageException.class)
                .hasMessageContaining("found in both");
        io.herald.storage.internal.LogFiles.deleteRecursively(b.toPath().resolve(inA));
        manager = start(a, b);
    }

    @Test
    void aFetchInFlightStillReadsADeletedLogUntilTheDeleteDelay() {
        PartitionLog log = createAndFill(3);
        FetchDataInfo inFlight = log.read(0, Integer.MAX_VALUE, log.logEndOffset(), true);
        assertThat(manager.deleteLog(TP)).isTrue();
        // The response is still being sent: its file slice must stay readable.
        assertThat(values(inFlight.records())).containsExactly("v0-0", "v0-1", "v1-0", "v1-1", "v2-0", "v2-1");
        assertThatThrownBy(() -> log.append(batch(clock.millis(), "late", 1), 0))
                .isInstanceOf(org.apache.kafka.common.errors.KafkaStorageException.class);
        clock.advanceMs(small.fileDeleteDelayMs());
        scheduler.runDue();
        assertThat(tmp.resolve("d1").toFile().list((d, n) -> n.endsWith("-delete")))
                .isEmpty();
    }

    @Test
    void strayLogsAreRenamedAndKeptNotDeleted() {
        createAndFill(2);
        assertThat(manager.markStray(TP)).isTrue();
        File d1 = tmp.resolve("d1").toFile();
        String[] stray = d1.list((d, n) -> n.startsWith("events-3.") && n.endsWith("-stray"));
        assertThat(stray).hasSize(1);
        assertThat(new File(d1, stray[0]).list((d, n) -> n.endsWith(".log"))).isNotEmpty();
        assertThat(manager.getLog(TP)).isEmpty();
        clock.advanceMs(small.fileDeleteDelayMs() * 10);
        scheduler.runDue();
        manager.shutdown();
        manager = start(d1);
        // Kept on disk, and not loaded as a partition again.
        assertThat(d1.list((d, n) -> n.endsWith("-stray"))).containsExactly(stray);
        assertThat(manager.getLog(TP)).isEmpty();
    }

    @Test
    void deleteLogRenamesThenRemovesAfterDelay() {
        createAndFill(1);
        assertThat(manager.deleteLog(TP)).isTrue();
        File d1 = tmp.resolve("d1").toFile();
        String[] deleted = d1.list((d, n) -> n.startsWith("events-3.") && n.endsWith("-delete"));
        assertThat(deleted).hasSize(1);
        assertThat(partitionDir()).doesNotExist();
        assertThat(manager.getLog(TP)).isEmpty();
        clock.advanceMs(small.fileDeleteDelayMs());
        scheduler.runDue();
        assertThat(d1.list((d, n) -> n.endsWith("-delete"))).isEmpty();
    }

    @Test
    void retentionRunsFromTheScheduledTask() {
        PartitionLog log = createAndFill(10);
        log.updateConfig(LogConfig.fromProperties(
                Map.of("internal.segment.bytes", "400", "retention.ms", "1000"), LogConfig.DEFAULTS));
        int before = log.numberOfSegments();
        clock.advanceMs(300_000);
        scheduler.runDue();
        assertThat(log.numberOfSegments()).isLessThan(before).isEqualTo(1);
    }

    @Test
    void flushMsFlushesFromTheScheduledTask() {
        PartitionLog log = manager.getOrCreateLog(
                TP, TOPIC_ID, LogConfig.fromProperties(Map.of("flush.ms", "500"), LogConfig.DEFAULTS));
        log.append(batch(clock.millis(), "f", 2), 0);
        assertThat(log.recoveryPoint()).isZero();
        clock.advanceMs(1000);
        scheduler.runDue();
        assertThat(log.recoveryPoint()).isEqualTo(2);
    }

    @Test
    void flushMessagesFlushesOnAppend() {
        PartitionLog log = manager.getOrCreateLog(
                TP, TOPIC_ID, LogConfig.fromProperties(Map.of("flush.messages", "3"), LogConfig.DEFAULTS));
        log.append(batch(clock.millis(), "f", 2), 0);
        assertThat(log.recoveryPoint()).isZero();
        log.append(batch(clock.millis(), "g", 2), 0);
        assertThat(log.recoveryPoint()).isEqualTo(4);
    }

    @Test
    void highWatermarkAndTopicIdSurviveRestart() {
        PartitionLog log = createAndFill(3);
        long highWatermark = log.highWatermark();
        assertThat(log.updateHighWatermark(highWatermark - 2))
                .as("the high watermark never moves backwards")
                .isEqualTo(highWatermark);
        manager.shutdown();
        manager = start(tmp.resolve("d1").toFile());
        PartitionLog reloaded = manager.getLog(TP).orElseThrow();
        assertThat(reloaded.highWatermark()).isEqualTo(highWatermark);
        assertThat(manager.topicId(TP)).contains(TOPIC_ID);
        assertThat(manager.getOrCreateLog(TP, TOPIC_ID, small)).isSameAs(reloaded);
        assertThatThrownBy(() -> manager.getOrCreateLog(TP, Uuid.randomUuid(), small))
                .isInstanceOf(org.apache.kafka.common.errors.InconsistentTopicIdException.class);
    }

    @Test
    void truncationRewritesTheRecoveryPointCheckpoint() throws Exception {
        PartitionLog log = createAndFill(5);
        log.flush();
        manager.checkpoint();
        File checkpoint =
                tmp.resolve("d1").resolve("recovery-point-offset-checkpoint").toFile();
        assertThat(Files.readAllLines(checkpoint.toPath())).contains("events 3 10");
        log.truncateTo(4);
        assertThat(Files.readAllLines(checkpoint.toPath())).contains("events 3 4");
    }

    /** Kafka's file-name stem, spelled out independently of the main code. */
    static final class LogFilesForTest {
        static String stem(long offset) {
            String s = Long.toString(offset);
            return "0".repeat(20 - s.length()) + s;
        }
    }
}
