package io.herald.coordinator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * The record layout of {@code __transaction_state}, Kafka's (so Kafka's tools read it): the key is version 0 and the
 * transactional id; the value is version 1 (flexible: compact strings and arrays, tagged previous/next producer id and
 * client transaction version) or, read only, version 0. A tombstone removes an expired id.
 */
public final class TxnRecords {
    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 1;
    private static final int TAG_PREVIOUS_PRODUCER_ID = 0;
    private static final int TAG_NEXT_PRODUCER_ID = 1;
    private static final int TAG_CLIENT_TRANSACTION_VERSION = 2;

    private TxnRecords() {}

    /** A decoded record: the id and its metadata, or null metadata for a tombstone. */
    public record Entry(String transactionalId, TxnMetadata metadata) {}

    public static GroupRecord record(TxnMetadata m) {
        return new GroupRecord(key(m.transactionalId()), value(m));
    }

    public static GroupRecord tombstone(String transactionalId) {
        return new GroupRecord(key(transactionalId), null);
    }

    static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + id.length)
                .putShort(KEY_VERSION)
                .putShort((short) id.length)
                .put(id)
                .array();
    }

    static byte[] value(TxnMetadata m) {
        ByteBuffer b = ByteBuffer.allocate(256 + 64 * m.partitions().size() + topicBytes(m.partitions()));
        b.putShort(VALUE_VERSION);
        b.putLong(m.producerId());
        b.putShort(m.epoch());
        b.putInt(m.timeoutMs());
        b.put(m.state().code());
        Map<String, List<Integer>> byTopic = byTopic(m.partitions());
        ByteUtils.writeUnsignedVarint(byTopic.size() + 1, b);
        byTopic.forEach((topic, ids) -> {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            ByteUtils.writeUnsignedVarint(name.length + 1, b);
            b.put(name);
            ByteUtils.writeUnsignedVarint(ids.size() + 1, b);
            ids.forEach(b::putInt);
            ByteUtils.writeUnsignedVarint(0, b); // no tagged fields
        });
        b.putLong(m.updateMs());
        b.putLong(m.startMs());
        int tags = (m.prevProducerId() != -1 ? 1 : 0)
                + (m.nextProducerId() != -1 ? 1 : 0)
                + (m.clientTransactionVersion() != 0 ? 1 : 0);
        ByteUtils.writeUnsignedVarint(tags, b);
        if (m.prevProducerId() != -1) {
            ByteUtils.writeUnsignedVarint(TAG_PREVIOUS_PRODUCER_ID, b);
            ByteUtils.writeUnsignedVarint(8, b);
            b.putLong(m.prevProducerId());
        }
        if (m.nextProducerId() != -1) {
            ByteUtils.writeUnsignedVarint(TAG_NEXT_PRODUCER_ID, b);
            ByteUtils.writeUnsignedVarint(8, b);
            b.putLong(m.nextProducerId());
        }
        if (m.clientTransactionVersion() != 0) {
            ByteUtils.writeUnsignedVarint(TAG_CLIENT_TRANSACTION_VERSION, b);
            ByteUtils.writeUnsignedVarint(2, b);
            b.putShort(m.clientTransactionVersion());
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static int topicBytes(Set<TopicPartition> partitions) {
        return partitions.stream().mapToInt(tp -> 4 * tp.topic().length()).sum();
    }

    private static Map<String, List<Integer>> byTopic(Set<TopicPartition> partitions) {
        Map<String, List<Integer>> out = new TreeMap<>();
        partitions.stream()
                .sorted(java.util.Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
                .forEach(tp ->
                        out.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return out;
    }

    /** Decodes a record; throws IllegalArgumentException for a key or value it cannot read. */
    public static Entry decode(GroupRecord record) {
        ByteBuffer k = ByteBuffer.wrap(record.key());
        try {
            short keyVersion = k.getShort();
            if (keyVersion != KEY_VERSION) {
                throw new IllegalArgumentException("unknown __transaction_state key version " + keyVersion);
            }
            byte[] id = new byte[k.getShort()];
            k.get(id);
            String transactionalId = new String(id, StandardCharsets.UTF_8);
            if (record.value() == null) {
                return new Entry(transactionalId, null);
            }
            return new Entry(transactionalId, decodeValue(transactionalId, ByteBuffer.wrap(record.value())));
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("truncated __transaction_state record", e);
        }
    }

    private static TxnMetadata decodeValue(String transactionalId, ByteBuffer v) {
        short version = v.getShort();
        if (version < 0 || version > VALUE_VERSION) {
            throw new IllegalArgumentException("unknown __transaction_state value version " + version);
        }
        boolean flexible = version >= 1;
        long producerId = v.getLong();
        short epoch = v.getShort();
        int timeoutMs = v.getInt();
        TxnState state = TxnState.fromCode(v.get());
        Set<TopicPartition> partitions = new HashSet<>();
        int topics = flexible ? ByteUtils.readUnsignedVarint(v) - 1 : v.getInt();
        for (int t = 0; t < topics; t++) {
            byte[] name = new byte[flexible ? ByteUtils.readUnsignedVarint(v) - 1 : v.getShort()];
            v.get(name);
            String topic = new String(name, StandardCharsets.UTF_8);
            int count = flexible ? ByteUtils.readUnsignedVarint(v) - 1 : v.getInt();
            for (int i = 0; i < count; i++) {
                partitions.add(new TopicPartition(topic, v.getInt()));
            }
            if (flexible) {
                skipTags(v);
            }
        }
        long updateMs = v.getLong();
        long startMs = v.getLong();
        long prev = -1;
        long next = -1;
        short clientVersion = 0;
        if (flexible) {
            int tags = ByteUtils.readUnsignedVarint(v);
            for (int i = 0; i < tags; i++) {
                int tag = ByteUtils.readUnsignedVarint(v);
                int size = ByteUtils.readUnsignedVarint(v);
                switch (tag) {
                    case TAG_PREVIOUS_PRODUCER_ID -> prev = v.getLong();
                    case TAG_NEXT_PRODUCER_ID -> next = v.getLong();
                    case TAG_CLIENT_TRANSACTION_VERSION -> clientVersion = v.getShort();
                    default -> v.position(v.position() + size);
                }
            }
        }
        return new TxnMetadata(
                transactionalId,
                producerId,
                prev,
                next,
                epoch,
                (short) -1,
                timeoutMs,
                state,
                Set.copyOf(partitions),
                startMs,
                updateMs,
                clientVersion);
    }

    private static void skipTags(ByteBuffer v) {
        int tags = ByteUtils.readUnsignedVarint(v);
        for (int i = 0; i < tags; i++) {
            ByteUtils.readUnsignedVarint(v);
            int size = ByteUtils.readUnsignedVarint(v);
            v.position(v.position() + size);
        }
    }
}
