package io.herald.coordinator;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Tiny big-endian writer and reader for the coordinator's own record layouts (nullable strings and byte arrays). */
final class Bytes {
    private Bytes() {}

    static final class Writer {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        private final DataOutputStream out = new DataOutputStream(buffer);

        Writer i16(int v) {
            try {
                out.writeShort(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer i32(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer i64(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Writer str(String s) {
            return bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        Writer bytes(byte[] b) {
            try {
                if (b == null) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(b.length);
                    out.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        byte[] toByteArray() {
            return buffer.toByteArray();
        }
    }

    static final class Reader {
        private final DataInputStream in;

        Reader(byte[] data) {
            this.in = new DataInputStream(new java.io.ByteArrayInputStream(data));
        }

        int i16() {
            try {
                return in.readShort();
            } catch (IOException e) {
                throw new IllegalArgumentException("truncated group record", e);
            }
        }

        int i32() {
            try {
                return in.readInt();
            } catch (IOException e) {
                throw new IllegalArgumentException("truncated group record", e);
            }
        }

        long i64() {
            try {
                return in.readLong();
            } catch (IOException e) {
                throw new IllegalArgumentException("truncated group record", e);
            }
        }

        String str() {
            byte[] b = bytes();
            return b == null ? null : new String(b, StandardCharsets.UTF_8);
        }

        byte[] bytes() {
            int length = i32();
            if (length < 0) {
                return null;
            }
            try {
                return in.readNBytes(length);
            } catch (IOException e) {
                throw new IllegalArgumentException("truncated group record", e);
            }
        }
    }
}
