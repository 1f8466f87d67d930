package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Timeout;

/**
 * Random appends (sizes, codecs), flushes, truncations, clean reopens and crashes that cut the active segment at a
 * random byte past the recovery point: no flushed batch is ever lost, and reads never show gaps or disorder.
 */
@Timeout(120)
class CrashRecoveryPropertiesTest {
    private static final CompressionType[] CODECS = {
        CompressionType.NONE, CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD
    };
    private static final LogConfig CONFIG = LogConfig.fromProperties(
            Map.of("internal.segment.bytes", "1500", "index.interval.bytes", "100"), LogConfig.DEFAULTS);

    private static final long PRODUCER_ID = 77L;

    record Action(int kind, int param, int codec) {}

    /** A batch as the model expects to read it back; {@code baseSequence} is -1 for non-idempotent batches. */
    record ModelBatch(long firstOffset, List<String> values, int baseSequence) {
        long lastOffset() {
            return firstOffset + values.size() - 1;
        }
    }

    @Provide
    Arbitrary<Action> actions() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 15),
                        Arbitraries.integers().between(0, 9_999),
                        Arbitraries.integers().between(0, CODECS.length - 1))
                .as(Action::new);
    }

    @Property(tries = 150)
    void flushedBatchesSurviveCrashesAndOffsetsStayContiguous(
            @ForAll @Size(max = 50) List<@net.jqwik.api.From("actions") Action> script) throws IOException {
        Path tmp = Files.createTempDirectory("herald-prop");
        LogFixture fx = new LogFixture(tmp);
        List<ModelBatch> model = new ArrayList<>();
        // Every idempotent batch still in the log's history: DeleteRecords hides batches but the producer state keeps
        // them; only truncation and crashes take them back.
        List<ModelBatch> idempotent = new ArrayList<>();
        PartitionLog log = fx.open(CONFIG);
        try {
            int n = 0;
            for (Action a : script) {
                switch (a.kind()) {
                    case 0, 1, 2, 3, 4, 5, 6 -> {
                        int count = 1 + a.param() % 6;
                        List<String> values = new ArrayList<>();
                        String pad = "x".repeat(a.param() % 150);
                        for (int i = 0; i < count; i++) {
                            values.add("b" + n + "-" + i + pad);
                        }
                        n++;
                        LogAppendInfo info = log.append(batchOf(CODECS[a.codec()], fx.clock.millis(), values, -1), 0);
                        assertThat(info.firstOffset()).isEqualTo(log.logEndOffset() - count);
                        model.add(new ModelBatch(info.firstOffset(), values, -1));
                    }
                    case 7 -> log.flush();
                    case 8 -> {
                        long target =
                                log.logStartOffset() + a.param() % (log.logEndOffset() - log.logStartOffset() + 1);
                        // Cutting the batch that holds the log start empties the log: producer state starts over.
                        long start = log.logStartOffset();
                        boolean restarts = model.stream()
                                .anyMatch(b -> b.firstOffset() < start
                                        && b.firstOffset() <= target
                                        && b.lastOffset() >= target);
                        log.truncateTo(target);
                        model.removeIf(b -> b.lastOffset() >= target);
                        idempotent.removeIf(b -> restarts || b.lastOffset() >= target);
                    }
                    case 9 -> {
                        log.close();
                        log = fx.reopen(CONFIG, log.logStartOffset(), log.recoveryPoint(), true);
                    }
                    case 14 -> {
                        log.updateHighWatermark(log.logEndOffset());
                        long target =
                                log.logStartOffset() + a.param() % (log.logEndOffset() - log.logStartOffset() + 1);
                        assertThat(log.deleteRecordsBefore(target)).isEqualTo(Math.max(target, log.logStartOffset()));
                        long newStart = log.logStartOffset();
                        model.removeIf(b -> b.lastOffset() < newStart);
                    }
                    case 15 -> {
                        // Size retention down to a random budget: whole old segments go, the start moves up.
                        log.updateHighWatermark(log.logEndOffset());
                        log.updateConfig(LogConfig.fromProperties(
                                Map.of(
                                        "internal.segment.bytes", "1500",
                                        "index.interval.bytes", "100",
                                        "retention.bytes", String.valueOf(a.param() % 3000)),
                                LogConfig.DEFAULTS));
                        log.deleteOldSegments();
                        log.updateConfig(CONFIG);
                        long newStart = log.logStartOffset();
                        assertThat(log.segmentBaseOffsets().get(0)).isLessThanOrEqualTo(newStart);
                        model.removeIf(b -> b.lastOffset() < newStart);
                    }
                    case 10 -> {
                        // Idempotent append at the sequence the model expects: rejected if producer state drifted.
                        int seq = nextSequence(idempotent);
                        List<String> values = List.of("s" + seq, "s" + (seq + 1));
                        LogAppendInfo info = log.append(batchOf(CODECS[a.codec()], fx.clock.millis(), values, seq), 0);
                        assertThat(info.duplicate()).isFalse();
                        model.add(new ModelBatch(info.firstOffset(), values, seq));
                        idempotent.add(model.get(model.size() - 1));
                    }
                    case 11 -> {
                        ModelBatch last = lastIdempotent(idempotent);
                        if (last != null) {
                            long endBefore = log.logEndOffset();
                            LogAppendInfo info = log.append(
                                    batchOf(CODECS[a.codec()], fx.clock.millis(), last.values(), last.baseSequence()),
                                    0);
                            assertThat(info.duplicate()).isTrue();
                            assertThat(info.firstOffset()).isEqualTo(last.firstOffset());
                            assertThat(log.logEndOffset()).isEqualTo(endBefore);
                        }
                    }
                    default -> {
                        long recoveryPoint = log.recoveryPoint();
                        long startOffset = log.logStartOffset();
                        log.closeUncleanly();
                        cutActiveSegment(fx.dir, recoveryPoint, a.param() / 10_000.0);
                        log = fx.reopen(CONFIG, startOffset, recoveryPoint, false);
                        List<ModelBatch> survivors = new ArrayList<>();
                        for (ModelBatch b : model) {
                            if (b.lastOffset() < log.logEndOffset()) {
                                survivors.add(b);
                            }
                        }
                        for (ModelBatch b : model) {
                            if (b.lastOffset() < recoveryPoint) {
                                assertThat(survivors).as("flushed batch lost").contains(b);
                            }
                        }
                        model = survivors;
                        long recoveredEnd = log.logEndOffset();
                        idempotent.removeIf(b -> b.lastOffset() >= recoveredEnd);
                    }
                }
                verify(log, model);
            }
        } finally {
            log.closeUncleanly();
            io.herald.storage.internal.LogFiles.deleteRecursively(tmp);
        }
    }

    private static ModelBatch lastIdempotent(List<ModelBatch> model) {
        for (int i = model.size() - 1; i >= 0; i--) {
            if (model.get(i).baseSequence() >= 0) {
                return model.get(i);
            }
        }
        return null;
    }

    private static int nextSequence(List<ModelBatch> model) {
        ModelBatch last = lastIdempotent(model);
        return last == null ? 0 : last.baseSequence() + last.values().size();
    }

    private static org.apache.kafka.common.record.MemoryRecords batchOf(
            CompressionType codec, long ts, List<String> values, int baseSequence) {
        org.apache.kafka.common.record.SimpleRecord[] records =
                new org.apache.kafka.common.record.SimpleRecord[values.size()];
        for (int i = 0; i < values.size(); i++) {
            records[i] = new org.apache.kafka.common.record.SimpleRecord(
                    ts, values.get(i).getBytes());
        }
        org.apache.kafka.common.compress.Compression compression =
                org.apache.kafka.common.compress.Compression.of(codec).build();
        if (baseSequence >= 0) {
            return org.apache.kafka.common.record.MemoryRecords.withIdempotentRecords(
                    compression, PRODUCER_ID, (short) 0, baseSequence, records);
        }
        return org.apache.kafka.common.record.MemoryRecords.withRecords(compression, records);
    }

    /** Cuts the newest segment at a byte between where the unflushed data starts and its end. */
    private static void cutActiveSegment(File dir, long recoveryPoint, double fraction) throws IOException {
        File[] logs = dir.listFiles((d, name) -> name.endsWith(".log"));
        Arrays.sort(logs);
        File active = logs[logs.length - 1];
        int unflushedFrom = 0;
        try (FileRecords records = FileRecords.open(active, false)) {
            for (FileChannelRecordBatch b : records.batches()) {
                if (b.lastOffset() < recoveryPoint) {
                    unflushedFrom = b.position() + b.sizeInBytes();
                }
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(active, "rw")) {
            long cut = unflushedFrom + (long) ((raf.length() - unflushedFrom) * fraction);
            raf.setLength(cut);
        }
    }

    /** Reads the whole log and checks it equals the model: same batches, in order, offsets without gaps. */
    private static void verify(PartitionLog log, List<ModelBatch> model) {
        List<ModelBatch> actual = new ArrayList<>();
        long next = log.logStartOffset();
        boolean first = true;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, Integer.MAX_VALUE, log.logEndOffset(), true);
            assertThat(info.records().sizeInBytes()).as("read at " + next).isPositive();
            for (RecordBatch batch : info.records().batches()) {
                // The log start offset may fall inside a batch; that first batch is returned whole.
                if (first) {
                    assertThat(batch.baseOffset()).isLessThanOrEqualTo(next);
                    assertThat(batch.lastOffset()).isGreaterThanOrEqualTo(next);
                } else {
                    assertThat(batch.baseOffset()).as("gap or disorder").isEqualTo(next);
                }
                first = false;
                List<String> values = new ArrayList<>();
                long expected = batch.baseOffset();
                for (Record r : batch) {
                    assertThat(r.offset()).isEqualTo(expected++);
                    values.add(java.nio.charset.StandardCharsets.UTF_8
                            .decode(r.value())
                            .toString());
                }
                actual.add(new ModelBatch(batch.baseOffset(), values, batch.baseSequence()));
                next = batch.lastOffset() + 1;
            }
        }
        assertThat(actual).isEqualTo(model);
        long expectedEnd = model.isEmpty()
                ? log.logStartOffset()
                : model.get(model.size() - 1).lastOffset() + 1;
        assertThat(log.logEndOffset()).isEqualTo(expectedEnd);
    }
}
