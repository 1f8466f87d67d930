package io.herald.metadata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * Binary form of metadata record batches, as stored in the quorum's log and snapshots and sent to brokers. Each record
 * is a type byte and a version byte followed by its fields, so a type can gain fields without breaking old logs.
 */
public final class MetadataRecordCodec {
    private static final byte VERSION = 0;
    private static final byte PARTITION_VERSION = 1;
    private static final int MAX_ENTITY_PARTS = 16;
    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_BATCH_RECORDS = 10_000_000;

    private MetadataRecordCodec() {}

    public static byte[] encode(List<MetadataRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * records.size() + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(records.size());
            for (MetadataRecord record : records) {
                write(out, record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<MetadataRecord> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            if (count < 0 || count > MAX_BATCH_RECORDS) {
                throw new IllegalArgumentException("corrupt metadata batch: " + count + " records");
            }
            List<MetadataRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(read(in));
            }
            return records;
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt metadata batch: " + e.getMessage(), e);
        }
    }

    private static void write(DataOutputStream out, MetadataRecord record) throws IOException {
        switch (record) {
            case MetadataRecord.RegisterBroker r -> {
                header(out, 1);
                out.writeInt(r.brokerId());
                uuid(out, r.incarnationId());
                out.writeLong(r.brokerEpoch());
                out.writeInt(r.endpoints().size());
                for (BrokerEndpoint e : r.endpoints()) {
                    out.writeUTF(e.listenerName());
                    out.writeUTF(e.host());
                    out.writeInt(e.port());
                    out.writeUTF(e.securityProtocol());
                }
                nullableString(out, r.rack());
            }
            case MetadataRecord.BrokerFencing r -> {
                header(out, 2);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
                out.writeBoolean(r.fenced());
            }
            case MetadataRecord.UnregisterBroker r -> {
                header(out, 3);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
            }
            case MetadataRecord.Topic r -> {
                header(out, 4);
                out.writeUTF(r.name());
                uuid(out, r.topicId());
            }
            case MetadataRecord.Partition r -> {
                // Version 1 added the replicas a reassignment adds and removes.
                out.writeByte(5);
                out.writeByte(PARTITION_VERSION);
                uuid(out, r.topicId());
                out.writeInt(r.partitionId());
                ints(out, r.replicas());
                ints(out, r.isr());
                out.writeInt(r.leader());
                out.writeInt(r.leaderEpoch());
                out.writeInt(r.partitionEpoch());
                ints(out, r.addingReplicas());
                ints(out, r.removingReplicas());
            }
            case MetadataRecord.RemoveTopic r -> {
                header(out, 6);
                uuid(out, r.topicId());
            }
            case MetadataRecord.Config r -> {
                header(out, 7);
                out.writeByte(r.resourceType().code);
                out.writeUTF(r.resourceName());
                out.writeUTF(r.name());
                nullableString(out, r.value());
            }
            case MetadataRecord.ProducerIds r -> {
                header(out, 8);
                out.writeInt(r.brokerId());
                out.writeLong(r.brokerEpoch());
                out.writeLong(r.nextProducerId());
            }
            case MetadataRecord.FeatureLevel r -> {
                header(out, 9);
                out.writeUTF(r.name());
                out.writeShort(r.level());
            }
            case MetadataRecord.ClientQuota r -> {
                header(out, 10);
                out.writeInt(r.entity().size());
                for (Map.Entry<String, String> part : r.entity().entrySet()) {
                    out.writeUTF(part.getKey());
                    nullableString(out, part.getValue());
                }
                out.writeUTF(r.key());
                out.writeBoolean(r.value() != null);
                if (r.value() != null) {
                    out.writeDouble(r.value());
                }
            }
            case MetadataRecord.ScramCredential r -> {
                header(out, 11);
                out.writeUTF(r.user());
                out.writeByte(r.mechanism());
                bytes(out, r.salt());
                bytes(out, r.storedKey());
                bytes(out, r.serverKey());
                out.writeInt(r.iterations());
            }
            case MetadataRecord.RemoveScramCredential r -> {
                header(out, 12);
                out.writeUTF(r.user());
                out.writeByte(r.mechanism());
            }
        }
    }

    private static MetadataRecord read(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        int version = in.readUnsignedByte();
        if (version > (type == 5 ? PARTITION_VERSION : VERSION)) {
            throw new IOException("record type " + type + " has unknown version " + version);
        }
        return switch (type) {
            case 1 -> {
                int id = in.readInt();
                Uuid incarnation = uuid(in);
                long epoch = in.readLong();
                int n = in.readInt();
                List<BrokerEndpoint> endpoints = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    endpoints.add(new BrokerEndpoint(in.readUTF(), in.readUTF(), in.readInt(), in.readUTF()));
                }
                yield new MetadataRecord.RegisterBroker(id, incarnation, epoch, endpoints, nullableString(in));
            }
            case 2 -> new MetadataRecord.BrokerFencing(in.readInt(), in.readLong(), in.readBoolean());
            case 3 -> new MetadataRecord.UnregisterBroker(in.readInt(), in.readLong());
            case 4 -> new MetadataRecord.Topic(in.readUTF(), uuid(in));
            case 5 -> {
                Uuid topicId = uuid(in);
                int partitionId = in.readInt();
                List<Integer> replicas = ints(in);
                List<Integer> isr = ints(in);
                int leader = in.readInt();
                int leaderEpoch = in.readInt();
                int partitionEpoch = in.readInt();
                List<Integer> adding = version >= 1 ? ints(in) : List.of();
                List<Integer> removing = version >= 1 ? ints(in) : List.of();
                yield new MetadataRecord.Partition(
                        topicId, partitionId, replicas, isr, leader, leaderEpoch, partitionEpoch, adding, removing);
            }
            case 6 -> new MetadataRecord.RemoveTopic(uuid(in));
            case 7 ->
                new MetadataRecord.Config(
                        ConfigResourceType.forCode(in.readByte()), in.readUTF(), in.readUTF(), nullableString(in));
            case 8 -> new MetadataRecord.ProducerIds(in.readInt(), in.readLong(), in.readLong());
            case 9 -> new MetadataRecord.FeatureLevel(in.readUTF(), in.readShort());
            case 10 -> {
                int n = in.readInt();
                if (n < 0 || n > MAX_ENTITY_PARTS) {
                    throw new IOException("corrupt client quota entity of " + n + " parts");
                }
                Map<String, String> entity = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    entity.put(in.readUTF(), nullableString(in));
                }
                String key = in.readUTF();
                yield new MetadataRecord.ClientQuota(entity, key, in.readBoolean() ? in.readDouble() : null);
            }
            case 11 ->
                new MetadataRecord.ScramCredential(
                        in.readUTF(), in.readByte(), bytes(in), bytes(in), bytes(in), in.readInt());
            case 12 -> new MetadataRecord.RemoveScramCredential(in.readUTF(), in.readByte());
            default -> throw new IOException("unknown metadata record type " + type);
        };
    }

    private static void header(DataOutputStream out, int type) throws IOException {
        out.writeByte(type);
        out.writeByte(VERSION);
    }

    private static void uuid(DataOutputStream out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static Uuid uuid(DataInputStream in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }

    private static void ints(DataOutputStream out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static List<Integer> ints(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("corrupt int list of " + n);
        }
        List<Integer> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readInt());
        }
        return values;
    }

    private static void bytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("corrupt byte array of " + n);
        }
        byte[] value = new byte[n];
        in.readFully(value);
        return value;
    }

    private static void nullableString(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String nullableString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
