package io.herald.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka's size-prefixed frames. A size of zero or less, or above the limit
 * ({@code socket.request.max.bytes}), closes the connection, as Kafka does: the stream cannot be trusted after it.
 *
 * <p>It is also where reading stops under load: before the bytes of a frame are gathered, the frame must be admitted
 * (its connection below its pipelining bound, the plane's request queue and memory pool not full). A refused frame
 * stops reading from the socket, so the kernel's buffers and then TCP push back on the client, until room is made.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);
    private static final int SIZE_PREFIX_BYTES = 4;

    /** One request's bytes and the bytes it holds of the memory pool until it is answered. */
    record Frame(ByteBuf bytes, int reservedBytes) {}

    private final int maxFrameBytes;
    private final RequestLimits limits;
    private final BooleanSupplier connectionFull;
    private ChannelHandlerContext context;
    private int reservedBytes;
    private boolean paused;

    /** A decoder without admission (tests of framing alone). */
    FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, null, () -> false);
    }

    FrameDecoder(int maxFrameBytes, RequestLimits limits, BooleanSupplier connectionFull) {
        this.maxFrameBytes = maxFrameBytes;
        this.limits = limits;
        this.connectionFull = connectionFull;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= SIZE_PREFIX_BYTES) {
            int size = in.getInt(in.readerIndex());
            if (size <= 0 || size > maxFrameBytes) {
                refuse(ctx, in, size);
                return;
            }
            if (reservedBytes == 0 && !admit(ctx, size)) {
                return;
            }
            if (in.readableBytes() < SIZE_PREFIX_BYTES + size) {
                return;
            }
            in.skipBytes(SIZE_PREFIX_BYTES);
            out.add(new Frame(in.readRetainedSlice(size), reservedBytes));
            reservedBytes = 0;
        }
    }

    /** Reserves room for the next frame, or stops reading until there is some. */
    private boolean admit(ChannelHandlerContext ctx, int size) {
        if (limits == null) {
            reservedBytes = size;
            return true;
        }
        if (connectionFull.getAsBoolean()) {
            pause(ctx);
            return false; // the connection resumes us when a response goes out
        }
        if (!limits.tryAdmit(size)) {
            pause(ctx);
            limits.await(() -> resumeLater(ctx));
            return false;
        }
        reservedBytes = size;
        return true;
    }

    private void pause(ChannelHandlerContext ctx) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Whether a frame waits for admission (reading is off until it is admitted). On the event loop. */
    boolean paused() {
        return paused;
    }

    /**
     * Resumes on the event loop's next turn, never inside a call that came from this decoder (a response completed
     * while its frame was being handed on): decoding again from there would re-enter the decoder.
     */
    void resumeLater(ChannelHandlerContext ctx) {
        if (!paused && ctx.executor().inEventLoop()) {
            return; // (off the loop the flag may be stale: always go to the loop)
        }
        try {
            ctx.executor().execute(this::resume);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The event loop is shutting down with the connection: nothing left to read.
        }
    }

    /** Tries again to admit the frame waiting in the buffer and reads on if it is admitted. On the event loop. */
    void resume() {
        if (!paused || context == null || !context.channel().isActive()) {
            return;
        }
        paused = false;
        try {
            // Decodes what is already buffered (an empty read re-runs decode); it may pause again.
            channelRead(context, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            context.fireExceptionCaught(e);
            return;
        }
        if (!paused) {
            context.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (paused) {
            // The base class would ask for more bytes when no frame came out; a paused connection must not read.
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseReservation();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseReservation();
        super.channelInactive(ctx);
    }

    private void releaseReservation() {
        if (limits != null && reservedBytes > 0) {
            limits.release(reservedBytes);
        }
        reservedBytes = 0;
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, int size) {
        if (looksLikeTlsHandshake(in)) {
            LOG.warn(
                    "Closing connection from {}: it started a TLS handshake on a listener without TLS (check"
                            + " the client's security.protocol and listener.security.protocol.map)",
                    ctx.channel().remoteAddress());
        } else {
            LOG.warn(
                    "Closing connection from {}: request size {} is outside 1..{} (socket.request.max.bytes)",
                    ctx.channel().remoteAddress(),
                    size,
                    maxFrameBytes);
        }
        in.skipBytes(in.readableBytes());
        ctx.close();
    }

    /** A TLS record header: content type 22 (handshake), then major version 3. */
    private static boolean looksLikeTlsHandshake(ByteBuf in) {
        return in.getByte(in.readerIndex()) == 0x16 && in.getByte(in.readerIndex() + 1) == 0x03;
    }
}
