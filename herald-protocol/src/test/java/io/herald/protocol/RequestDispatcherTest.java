package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.network.ByteBufferSend;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestDispatcherTest {
    private static final ConnectionInfo CONNECTION =
            new ConnectionInfo("PLAINTEXT", InetAddress.getLoopbackAddress(), "c1");

    private static ByteBuffer metadataRequest(short version) {
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, version, "test", 7);
        MetadataRequestData data = new MetadataRequestData();
        data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("t"));
        return RequestUtils.serialize(header.data(), header.headerVersion(), data, version);
    }

    private static ByteBuffer bytes(Send send) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        var channel = new org.apache.kafka.common.network.TransferableChannel() {
            final java.nio.channels.WritableByteChannel target = java.nio.channels.Channels.newChannel(out);

            @Override
            public boolean hasPendingWrites() {
                return false;
            }

            @Override
            public long transferFrom(java.nio.channels.FileChannel fileChannel, long position, long count)
                    throws IOException {
                return fileChannel.transferTo(position, count, target);
            }

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                long n = 0;
                for (int i = offset; i < offset + length; i++) {
                    n += target.write(srcs[i]);
                }
                return n;
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
                return true;
            }

            @Override
            public void close() {}
        };
        while (!send.completed()) {
            send.writeTo(channel);
        }
        ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
        buffer.getInt(); // size prefix
        return buffer;
    }

    @Test
    void routesToTheHandlerAndEncodesItsAnswerAtTheRequestVersion() throws Exception {
        ApiRegistry registry = ApiRegistry.builder()
                .register(
                        ApiKeys.METADATA,
                        0,
                        12,
                        (ctx, request) -> CompletableFuture.completedFuture(
                                new MetadataResponseData().setClusterId("c").setControllerId(3)))
                .build();
        Send send = new RequestDispatcher(registry)
                .process(CONNECTION, metadataRequest((short) 12))
                .get();
        ByteBuffer response = bytes(send);
        assertThat(ResponseHeader.parse(response, ApiKeys.METADATA.responseHeaderVersion((short) 12))
                        .correlationId())
                .isEqualTo(7);
        MetadataResponse parsed = MetadataResponse.parse(new ByteBufferAccessor(response), (short) 12);
        assertThat(parsed.data().controllerId()).isEqualTo(3);
    }

    private static ApiRegistry metadataAnswering() {
        return ApiRegistry.builder()
                .register(
                        ApiKeys.METADATA,
                        0,
                        12,
                        (ctx, request) -> CompletableFuture.completedFuture(
                                new MetadataResponseData().setClusterId("c").setControllerId(3)))
                .build();
    }

    @Test
    void aThrottledResponseCarriesItsThrottleTimeAndIsSentAtOnce() throws Exception {
        RequestDispatcher dispatcher =
                new RequestDispatcher(metadataAnswering(), RequestObserver.NONE, (context, request, use) -> 250);
        CompletableFuture<Send> future = dispatcher.process(CONNECTION, metadataRequest((short) 12));
        assertThat(future).isDone();
        Send send = future.get();
        assertThat(send).isInstanceOfSatisfying(ThrottledSend.class, throttled -> {
            assertThat(throttled.throttleMs()).isEqualTo(250);
            assertThat(throttled.clientThrottles()).isTrue();
        });
        ByteBuffer response = bytes(send);
        ResponseHeader.parse(response, ApiKeys.METADATA.responseHeaderVersion((short) 12));
        MetadataResponse parsed = MetadataResponse.parse(new ByteBufferAccessor(response), (short) 12);
        assertThat(parsed.throttleTimeMs()).isEqualTo(250);
    }

    @Test
    void aClientOlderThanKip219GetsItsThrottledResponseOnlyAfterTheThrottleTime() throws Exception {
        RequestDispatcher dispatcher =
                new RequestDispatcher(metadataAnswering(), RequestObserver.NONE, (context, request, use) -> 300);
        long startNanos = System.nanoTime();
        // Metadata v5 predates KIP-219 (v6 is the first whose client waits out the throttle itself).
        Send send = dispatcher.process(CONNECTION, metadataRequest((short) 5)).get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))
                .isGreaterThanOrEqualTo(300);
        assertThat(send).isNotInstanceOf(ThrottledSend.class);
        ByteBuffer response = bytes(send);
        ResponseHeader.parse(response, ApiKeys.METADATA.responseHeaderVersion((short) 5));
        assertThat(MetadataResponse.parse(new ByteBufferAccessor(response), (short) 5)
                        .throttleTimeMs())
                .isEqualTo(300);
    }

    @Test
    void aHandlerFailureBecomesTheRequestsOwnErrorResponse() throws Exception {
        ApiRegistry registry = ApiRegistry.builder()
                .register(ApiKeys.METADATA, 0, 12, (ctx, request) -> {
                    throw new TopicAuthorizationException("no");
                })
                .build();
        Send send = new RequestDispatcher(registry)
                .process(CONNECTION, metadataRequest((short) 12))
                .get();
        ByteBuffer response = bytes(send);
        ResponseHeader.parse(response, ApiKeys.METADATA.responseHeaderVersion((short) 12));
        MetadataResponse parsed = MetadataResponse.parse(new ByteBufferAccessor(response), (short) 12);
        assertThat(parsed.errorCounts()).containsKey(Errors.TOPIC_AUTHORIZATION_FAILED);
    }

    @Test
    void unservedApisAndVersionsAreRefusedSoTheConnectionCloses() {
        ApiRegistry registry = ApiRegistry.builder()
                .register(ApiKeys.METADATA, 4, 12, (ctx, request) -> CompletableFuture.completedFuture(null))
                .build();
        RequestDispatcher dispatcher = new RequestDispatcher(registry);
        assertThatThrownBy(() -> dispatcher.process(CONNECTION, metadataRequest((short) 1)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unsupported version 1");
        RequestHeader header = new RequestHeader(ApiKeys.LIST_GROUPS, (short) 4, "test", 1);
        ByteBuffer listGroups = RequestUtils.serialize(
                header.data(),
                header.headerVersion(),
                new org.apache.kafka.common.message.ListGroupsRequestData(),
                (short) 4);
        assertThatThrownBy(() -> dispatcher.process(CONNECTION, listGroups))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("not served");
        assertThatThrownBy(() -> dispatcher.process(CONNECTION, ByteBuffer.wrap(new byte[] {0x7f, 0x7f, 0, 0, 0, 0})))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("unknown API key");
    }

    @Test
    void registryRefusesVersionsKafkaClientsCannotParse() {
        assertThatThrownBy(() -> ApiRegistry.builder().register(ApiKeys.METADATA, 0, 99, (c, r) -> null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ByteBufferSend(ByteBuffer.allocate(1)).size()).isEqualTo(1);
    }
}
