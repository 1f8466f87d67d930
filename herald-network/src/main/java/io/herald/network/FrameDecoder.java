package io.herald.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka's size-prefixed frames. A size of zero or less, or above the limit
 * ({@code socket.request.max.bytes}), closes the connection, as Kafka does: the stream cannot be trusted after it.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;

    private final int maxFrameBytes;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= SIZE_PREFIX_BYTES) {
            int size = in.getInt(in.readerIndex());
            if (size <= 0 || size > maxFrameBytes) {
                if (looksLikeTlsHandshake(in)) {
                    LOG.warn(
                            "Closing connection from {}: it started a TLS handshake on a listener without TLS (check"
                                    + " the client's security.protocol and listener.security.protocol.map)",
                            ctx.channel().remoteAddress());
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                LOG.warn(
                        "Closing connection from {}: request size {} is outside 1..{} (socket.request.max.bytes)",
                        ctx.channel().remoteAddress(),
                        size,
                        maxFrameBytes);
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
                return;
            }
            in.skipBytes(SIZE_PREFIX_BYTES);
            out.add(in.readRetainedSlice(size));
        }
    }

    /** A TLS record header: content type 22 (handshake), then major version 3. */
    private static boolean looksLikeTlsHandshake(ByteBuf in) {
        return in.getByte(in.readerIndex()) == 0x16 && in.getByte(in.readerIndex() + 1) == 0x03;
    }
}
