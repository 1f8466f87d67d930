package io.herald.tools;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * {@code kafka-dump-log.sh --files …}: prints the batches (and with {@code --deep-iteration} the records, with
 * {@code --print-data-log} their keys and values) of {@code .log} segments, and the entries of {@code .index} and
 * {@code .timeindex} files and the aborted transactions of {@code .txnindex} files, in Kafka's layout. Segment files are read with kafka-clients' record classes, as Herald's
 * {@code .log} files are byte-compatible with Kafka's.
 */
public final class DumpLogSegments {
    private DumpLogSegments() {}

    public static void main(String[] args) {
        ToolRunner.main(args, DumpLogSegments::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return ToolRunner.run(err, () -> execute(args, out, err));
    }

    static int execute(String[] args, PrintStream out, PrintStream err) throws IOException {
        OptionParser parser = new OptionParser()
                .arg(
                        "files",
                        "String: file1, file2, ...",
                        "REQUIRED: The .log, .index, .timeindex and .txnindex files to print, comma-separated.")
                .flag("print-data-log", "Print the records' keys and values (implies --deep-iteration).")
                .flag("deep-iteration", "Print every record, not just the batches.")
                .flag("skip-record-metadata", "With --deep-iteration: leave out record metadata.")
                .arg("max-bytes", "Integer: size", "Read at most this many bytes of each log (default: all).")
                .flag("index-sanity-check", "Only check that index files are consistent.")
                .flag("verify-index-only", "Only check index entries against the log.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
        OptionParser.Parsed opts = parser.parse(args);
        parser.printHelpOrVersion(
                args,
                opts,
                "Prints what log segment and index files hold, to inspect a segment that looks damaged.",
                out);
        opts.require("files");
        boolean printData = opts.has("print-data-log");
        boolean deep = printData || opts.has("deep-iteration");
        int maxBytes = opts.intValue("max-bytes") == null ? Integer.MAX_VALUE : opts.intValue("max-bytes");
        Map<String, List<long[]>> gaps = new LinkedHashMap<>();
        for (String name : opts.value("files").split(",")) {
            File file = new File(name.trim());
            out.println("Dumping " + file);
            String fileName = file.getName();
            String suffix = fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.')) : "";
            switch (suffix) {
                case ".log" -> dumpLog(file, deep, printData, opts.has("skip-record-metadata"), maxBytes, gaps, out);
                case ".index" -> dumpIndex(file, opts.has("verify-index-only"), out);
                case ".timeindex" -> dumpTimeIndex(file, opts.has("verify-index-only"), out);
                case ".txnindex" -> dumpTxnIndex(file, out);
                default -> err.println("Ignoring unknown file " + file);
            }
        }
        gaps.forEach((file, pairs) -> {
            err.println("Non-consecutive offsets in " + file);
            pairs.forEach(p -> err.println("  " + p[0] + " is followed by " + p[1]));
        });
        return 0;
    }

    private static long baseOffset(File file) {
        String name = file.getName();
        try {
            return Long.parseLong(name.substring(0, name.indexOf('.')));
        } catch (NumberFormatException e) {
            throw new CommandException("Not a segment file name: " + name);
        }
    }

    static void dumpLog(
            File file,
            boolean deep,
            boolean printData,
            boolean skipMetadata,
            int maxBytes,
            Map<String, List<long[]>> gaps,
            PrintStream out)
            throws IOException {
        out.println("Log starting offset: " + baseOffset(file));
        FileRecords all = FileRecords.open(file, false);
        FileRecords records = all.slice(0, Math.min(maxBytes, all.sizeInBytes()));
        try {
            long validBytes = 0;
            long last = -1;
            for (FileChannelRecordBatch batch : records.batches()) {
                out.println(batchLine(batch, validBytes));
                if (deep) {
                    for (Record record : batch) {
                        if (last != -1 && record.offset() != last + 1) {
                            gaps.computeIfAbsent(file.getAbsolutePath(), k -> new ArrayList<>())
                                    .add(new long[] {last, record.offset()});
                        }
                        last = record.offset();
                        out.println(recordLine(batch, record, printData, skipMetadata));
                    }
                }
                validBytes += batch.sizeInBytes();
            }
            long trailing = records.sizeInBytes() - validBytes;
            if (trailing > 0 && maxBytes == Integer.MAX_VALUE) {
                out.println("Found " + trailing + " invalid bytes at the end of " + file.getName());
            }
        } finally {
            all.closeHandlers();
        }
    }

    /** Kafka's batch line: header fields for v2 batches, then position, timestamp, size, codec and CRC. */
    static String batchLine(RecordBatch batch, long position) {
        var line = new StringBuilder();
        if (batch.magic() >= RecordBatch.MAGIC_VALUE_V2) {
            line.append("baseOffset: ")
                    .append(batch.baseOffset())
                    .append(" lastOffset: ")
                    .append(batch.lastOffset())
                    .append(" count: ")
                    .append(batch.countOrNull())
                    .append(" baseSequence: ")
                    .append(batch.baseSequence())
                    .append(" lastSequence: ")
                    .append(batch.lastSequence())
                    .append(" producerId: ")
                    .append(batch.producerId())
                    .append(" producerEpoch: ")
                    .append(batch.producerEpoch())
                    .append(" partitionLeaderEpoch: ")
                    .append(batch.partitionLeaderEpoch())
                    .append(" isTransactional: ")
                    .append(batch.isTransactional())
                    .append(" isControl: ")
                    .append(batch.isControlBatch())
                    .append(" deleteHorizonMs: ")
                    .append(batch.deleteHorizonMs());
        } else {
            line.append("offset: ").append(batch.lastOffset());
        }
        return line.append(" position: ")
                .append(position)
                .append(' ')
                .append(batch.timestampType())
                .append(": ")
                .append(batch.maxTimestamp())
                .append(" size: ")
                .append(batch.sizeInBytes())
                .append(" magic: ")
                .append(batch.magic())
                .append(" compresscodec: ")
                .append(batch.compressionType().name)
                .append(" crc: ")
                .append(batch.checksum())
                .append(" isvalid: ")
                .append(batch.isValid())
                .toString();
    }

    /** Kafka's record line, starting with {@code | }. */
    static String recordLine(RecordBatch batch, Record record, boolean printData, boolean skipMetadata) {
        var line = new StringBuilder("|");
        String prefix = " ";
        if (!skipMetadata) {
            line.append(" offset: ")
                    .append(record.offset())
                    .append(' ')
                    .append(batch.timestampType())
                    .append(": ")
                    .append(record.timestamp())
                    .append(" keySize: ")
                    .append(record.keySize())
                    .append(" valueSize: ")
                    .append(record.valueSize());
            if (batch.magic() >= RecordBatch.MAGIC_VALUE_V2) {
                line.append(" sequence: ")
                        .append(record.sequence())
                        .append(" headerKeys: ")
                        .append(java.util.Arrays.stream(record.headers())
                                .map(Header::key)
                                .collect(Collectors.joining(",", "[", "]")));
            }
            if (batch.isControlBatch()) {
                short typeId = ControlRecordType.parseTypeId(record.key());
                ControlRecordType type = ControlRecordType.fromTypeId(typeId);
                if (type == ControlRecordType.ABORT || type == ControlRecordType.COMMIT) {
                    EndTransactionMarker marker = EndTransactionMarker.deserialize(record);
                    line.append(" endTxnMarker: ")
                            .append(marker.controlType())
                            .append(" coordinatorEpoch: ")
                            .append(marker.coordinatorEpoch());
                } else {
                    line.append(" controlType: ")
                            .append(type)
                            .append('(')
                            .append(typeId)
                            .append(')');
                }
            }
        }
        if (printData && !batch.isControlBatch()) {
            if (record.hasKey()) {
                line.append(prefix).append("key: ").append(text(record.key()));
            }
            if (record.hasValue()) {
                line.append(" payload: ").append(text(record.value()));
            }
        }
        return line.toString();
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Offset index entries: 4-byte relative offset and 4-byte position, stopping at the zero padding. */
    static void dumpIndex(File file, boolean verifyOnly, PrintStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        long base = baseOffset(file);
        if (buf.remaining() < 8) {
            out.println(file + " is empty.");
            return;
        }
        for (int i = 0; buf.remaining() >= 8; i++) {
            int relative = buf.getInt();
            int position = buf.getInt();
            if (i > 0 && relative == 0) {
                return; // the preallocated rest of the file
            }
            if (!verifyOnly) {
                out.println("offset: " + (base + relative) + " position: " + position);
            }
        }
    }

    /** Time index entries: 8-byte timestamp and 4-byte relative offset, stopping at the zero padding. */
    static void dumpTimeIndex(File file, boolean verifyOnly, PrintStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        long base = baseOffset(file);
        for (int i = 0; buf.remaining() >= 12; i++) {
            long timestamp = buf.getLong();
            int relative = buf.getInt();
            if (i > 0 && relative == 0) {
                return;
            }
            if (!verifyOnly) {
                out.println("timestamp: " + timestamp + " offset: " + (base + relative));
            }
        }
    }

    /**
     * Aborted-transaction index entries: version (int16), producer id, first offset, last offset and last stable
     * offset (int64 each).
     */
    static void dumpTxnIndex(File file, PrintStream out) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file.toPath()));
        while (buf.remaining() >= 34) {
            short version = buf.getShort();
            out.println("version: " + version + " producerId: " + buf.getLong() + " firstOffset: " + buf.getLong()
                    + " lastOffset: " + buf.getLong() + " lastStableOffset: " + buf.getLong());
        }
    }
}
