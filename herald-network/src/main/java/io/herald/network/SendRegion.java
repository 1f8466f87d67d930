package io.herald.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * Lets Netty write a kafka-clients {@link Send}: the response header and body buffers, and for Fetch the log segment
 * ranges, which go out with {@code FileChannel.transferTo} (sendfile) straight from the page cache.
 */
final class SendRegion extends AbstractReferenceCounted implements FileRegion {
    private final Send send;
    private final long size;
    private long transferred;

    SendRegion(Send send) {
        this.send = send;
        this.size = send.size();
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return size;
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        long written = send.writeTo(new ChannelAdapter(target));
        transferred += written;
        return written;
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        // Nothing to free: record slices are views of segment files, which the log owns.
    }

    /** Presents Netty's socket channel as the channel kind kafka-clients writes to. */
    private record ChannelAdapter(WritableByteChannel target) implements TransferableChannel {
        @Override
        public boolean hasPendingWrites() {
            return false;
        }

        @Override
        public long transferFrom(FileChannel fileChannel, long position, long count) throws IOException {
            return fileChannel.transferTo(position, count, target);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (target instanceof GatheringByteChannel gathering) {
                return gathering.write(srcs, offset, length);
            }
            long written = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = target.write(srcs[i]);
                written += n;
                if (srcs[i].hasRemaining()) {
                    break;
                }
            }
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return target.write(src);
        }

        @Override
        public boolean isOpen() {
            return target.isOpen();
        }

        @Override
        public void close() throws IOException {
            target.close();
        }
    }
}
