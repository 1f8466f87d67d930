package io.herald.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FrameDecoderTest {
    @Test
    void framesAreCutAtTheirSizeEvenWhenSplitOrCoalesced() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(100));
        ByteBuf two =
                Unpooled.buffer().writeInt(3).writeBytes(new byte[] {1, 2, 3}).writeInt(2);
        channel.writeInbound(two);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {4}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {5}));
        ByteBuf first = channel.<FrameDecoder.Frame>readInbound().bytes();
        ByteBuf second = channel.<FrameDecoder.Frame>readInbound().bytes();
        assertThat(first.readableBytes()).isEqualTo(3);
        assertThat(second.readByte()).isEqualTo((byte) 4);
        first.release();
        second.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aSizeOutsideTheLimitClosesTheConnection() {
        EmbeddedChannel oversized = new EmbeddedChannel(new FrameDecoder(100));
        oversized.writeInbound(Unpooled.buffer().writeInt(101));
        assertThat(oversized.isOpen()).isFalse();
        EmbeddedChannel negative = new EmbeddedChannel(new FrameDecoder(100));
        negative.writeInbound(Unpooled.buffer().writeInt(-1));
        assertThat(negative.isOpen()).isFalse();
        EmbeddedChannel zero = new EmbeddedChannel(new FrameDecoder(100));
        zero.writeInbound(Unpooled.buffer().writeInt(0));
        assertThat(zero.isOpen()).isFalse();
    }
}
