package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DumpLogSegmentsTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dumpsBatchesRecordsAndIndexes() throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(
                RecordBatch.CURRENT_MAGIC_VALUE,
                0L,
                Compression.NONE,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                new SimpleRecord(1000L, b("k1"), b("hello"), new RecordHeader[] {new RecordHeader("h", b("v"))}),
                new SimpleRecord(1001L, null, b("world")));
        Path log = dir.resolve("00000000000000000000.log");
        ByteBuffer buf = records.buffer();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        Files.write(log, bytes);
        Path index = dir.resolve("00000000000000000000.index");
        Files.write(index, ByteBuffer.allocate(16).putInt(1).putInt(0).array());
        Path timeIndex = dir.resolve("00000000000000000000.timeindex");
        Files.write(timeIndex, ByteBuffer.allocate(24).putLong(1001L).putInt(1).array());

        var r = ToolOutput.run(
                DumpLogSegments::run, "--files", log + "," + index + "," + timeIndex, "--print-data-log");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("Dumping " + log);
        assertThat(lines[1]).isEqualTo("Log starting offset: 0");
        assertThat(lines[2])
                .startsWith("baseOffset: 0 lastOffset: 1 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1"
                        + " producerEpoch: -1 partitionLeaderEpoch: -1 isTransactional: false isControl: false"
                        + " deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1001 size: " + bytes.length
                        + " magic: 2 compresscodec: none crc: ")
                .endsWith(" isvalid: true");
        assertThat(lines[3])
                .isEqualTo("| offset: 0 CreateTime: 1000 keySize: 2 valueSize: 5 sequence: -1 headerKeys: [h] key: k1"
                        + " payload: hello");
        assertThat(lines[4])
                .isEqualTo("| offset: 1 CreateTime: 1001 keySize: -1 valueSize: 5 sequence: -1 headerKeys: []"
                        + " payload: world");
        assertThat(lines[5]).isEqualTo("Dumping " + index);
        assertThat(lines[6]).isEqualTo("offset: 1 position: 0");
        assertThat(lines[7]).isEqualTo("Dumping " + timeIndex);
        assertThat(lines[8]).isEqualTo("timestamp: 1001 offset: 1");
        assertThat(lines).hasSize(9);
    }

    @Test
    void dumpsTransactionMarkersAndTheAbortedTransactionIndex() throws Exception {
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(
                7L, 2000L, 3, 9L, (short) 1, new EndTransactionMarker(ControlRecordType.ABORT, 5));
        Path log = dir.resolve("00000000000000000000.log");
        ByteBuffer buf = marker.buffer();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        Files.write(log, bytes);
        Path txnIndex = dir.resolve("00000000000000000000.txnindex");
        ByteBuffer entries = ByteBuffer.allocate(68);
        entries.putShort((short) 0).putLong(9L).putLong(2L).putLong(7L).putLong(8L);
        entries.putShort((short) 0).putLong(11L).putLong(12L).putLong(20L).putLong(15L);
        Files.write(txnIndex, entries.array());

        var r = ToolOutput.run(DumpLogSegments::run, "--files", log + "," + txnIndex, "--deep-iteration");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().split("\n");
        assertThat(lines[2])
                .startsWith("baseOffset: 7 lastOffset: 7 count: 1 baseSequence: -1 lastSequence: -1 producerId: 9 "
                        + "producerEpoch: 1 partitionLeaderEpoch: 3 isTransactional: true isControl: true");
        assertThat(lines[3])
                .isEqualTo("| offset: 7 CreateTime: 2000 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] "
                        + "endTxnMarker: ABORT coordinatorEpoch: 5");
        assertThat(lines[4]).isEqualTo("Dumping " + txnIndex);
        assertThat(lines[5]).isEqualTo("version: 0 producerId: 9 firstOffset: 2 lastOffset: 7 lastStableOffset: 8");
        assertThat(lines[6]).isEqualTo("version: 0 producerId: 11 firstOffset: 12 lastOffset: 20 lastStableOffset: 15");
        assertThat(lines).hasSize(7);
    }

    @Test
    void batchesOnlyByDefault() throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(5L, null, b("x")));
        Path log = dir.resolve("00000000000000000042.log");
        ByteBuffer buf = records.buffer();
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        Files.write(log, bytes);
        var r = ToolOutput.run(DumpLogSegments::run, "--files", log.toString());
        assertThat(r.out().split("\n")).hasSize(3);
        assertThat(r.out()).contains("Log starting offset: 42\n");
        assertThat(ToolOutput.run(
                                DumpLogSegments::run,
                                "--files",
                                dir.resolve("x.txt").toString())
                        .err())
                .isEqualTo("Ignoring unknown file " + dir.resolve("x.txt") + "\n");
    }
}
