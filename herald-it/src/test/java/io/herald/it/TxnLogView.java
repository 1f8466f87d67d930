package io.herald.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.FileLogInputStream;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;

/**
 * What a partition's log says was committed, read from its segment files with kafka-clients' record classes and
 * applying the transaction markers found there: records of a transactional producer count once its COMMIT marker
 * follows, never after an ABORT; others count at once. Independent of the broker's read_committed Fetch, so a test
 * sees the coordinator's markers even where the log side's filtering is not the thing under test.
 */
final class TxnLogView {
    private TxnLogView() {}

    /** The committed values of every partition of {@code topic} under {@code logDir}, partition by partition. */
    static List<String> committedValues(Path logDir, String topic) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(logDir)) {
            for (Path partition : dirs.filter(
                            d -> d.getFileName().toString().matches(java.util.regex.Pattern.quote(topic) + "-\\d+"))
                    .sorted()
                    .toList()) {
                out.addAll(committedValuesOfPartition(partition));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<String> committedValuesOfPartition(Path partitionDir) throws IOException {
        List<String> out = new ArrayList<>();
        Map<Long, List<String>> open = new HashMap<>();
        List<Path> segments;
        try (Stream<Path> files = Files.list(partitionDir)) {
            segments = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
        for (Path segment : segments) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (FileLogInputStream.FileChannelRecordBatch batch : records.batches()) {
                    if (batch.isControlBatch()) {
                        for (Record r : batch) {
                            ControlRecordType type = ControlRecordType.parse(r.key());
                            List<String> pending = open.remove(batch.producerId());
                            if (type == ControlRecordType.COMMIT && pending != null) {
                                out.addAll(pending);
                            }
                        }
                    } else {
                        List<String> target = batch.isTransactional()
                                ? open.computeIfAbsent(batch.producerId(), p -> new ArrayList<>())
                                : out;
                        for (Record r : batch) {
                            target.add(r.hasValue() ? string(r.value()) : null);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String string(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
