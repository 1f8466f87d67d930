package io.herald.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * Copies a kafka-clients {@link Send} into one buffer, for listeners whose bytes must pass through TLS: encryption
 * needs the bytes in memory, so the log segment ranges of a Fetch are read rather than sent with sendfile (as Kafka
 * does on its SSL listeners).
 */
final class SendBuffers {
    private SendBuffers() {}

    static ByteBuf copy(ByteBufAllocator alloc, Send send) throws IOException {
        long size = send.size();
        if (size > Integer.MAX_VALUE) {
            throw new IOException("a response of " + size + " bytes is too large for one TLS write");
        }
        ByteBuf buffer = alloc.buffer((int) size);
        try {
            BufferChannel channel = new BufferChannel(buffer);
            while (!send.completed()) {
                if (send.writeTo(channel) == 0 && !send.completed()) {
                    throw new IOException("a response stopped short of its " + size + " bytes");
                }
            }
            return buffer;
        } catch (IOException | RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    /** Appends everything written to a growing buffer. */
    private record BufferChannel(ByteBuf buffer) implements TransferableChannel {
        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
            long copied = 0;
            while (copied < count) {
                int chunk = (int) Math.min(count - copied, 1 << 20);
                int read = buffer.writeBytes(fileChannel, position + copied, chunk);
                if (read <= 0) {
                    break;
                }
                copied += read;
            }
            return copied;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                written += srcs[i].remaining();
                buffer.writeBytes(srcs[i]);
            }
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            buffer.writeBytes(src);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }
}
