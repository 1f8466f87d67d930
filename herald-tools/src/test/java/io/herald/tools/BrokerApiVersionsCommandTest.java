package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.tools.apiversions.ApiVersionsClient;
import io.herald.tools.apiversions.ApiVersionsPrinter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrokerApiVersionsCommandTest {
    private static ApiVersion v(ApiKeys key, int min, int max) {
        return new ApiVersion().setApiKey(key.id).setMinVersion((short) min).setMaxVersion((short) max);
    }

    @Test
    void rendersKafkaLines() {
        String text = ApiVersionsPrinter.render(
                List.of(v(ApiKeys.PRODUCE, 3, 11), v(ApiKeys.FETCH, 4, 4), new ApiVersion().setApiKey((short) 999)));
        var lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("(");
        assertThat(lines[1]).isEqualTo("\tProduce(0): 3 to 11 [usable: 11],");
        assertThat(lines[2]).isEqualTo("\tFetch(1): 4 [usable: 4],");
        assertThat(text).contains("\tMetadata(3): UNSUPPORTED,\n").endsWith("\tUNKNOWN(999): 0\n)");
    }

    @Test
    void printsEveryBrokerAndErrors() {
        var admin =
                new MockAdminClient(List.of(new Node(2, "b2", 9092), new Node(1, "b1", 9092)), new Node(1, "b1", 9092));
        var r = ToolOutput.run(
                (a, o, e) -> BrokerApiVersionsCommand.run(a, o, e, p -> admin, node -> {
                    if (node.id() == 2) {
                        throw new java.io.IOException("Connection refused");
                    }
                    return List.of(v(ApiKeys.PRODUCE, 0, 11));
                }),
                "--bootstrap-server",
                "b1:9092");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith(new Node(1, "b1", 9092) + " -> (\n\tProduce(0): 0 to 11 [usable: 11],\n");
        assertThat(r.out()).endsWith(new Node(2, "b2", 9092) + " -> ERROR: Connection refused\n");
    }

    @Test
    void clientSpeaksTheWireProtocol() throws Exception {
        try (var server = new ServerSocket(0)) {
            var served = CompletableFuture.runAsync(() -> {
                try (var socket = server.accept()) {
                    var in = new DataInputStream(socket.getInputStream());
                    byte[] request = in.readNBytes(in.readInt());
                    RequestHeader header = RequestHeader.parse(ByteBuffer.wrap(request));
                    var data = new ApiVersionsResponseData();
                    data.apiKeys().add(v(ApiKeys.API_VERSIONS, 0, 4));
                    ByteBuffer body = MessageUtil.toByteBufferAccessor(data, header.apiVersion())
                            .buffer();
                    var out = new DataOutputStream(socket.getOutputStream());
                    out.writeInt(4 + body.remaining());
                    out.writeInt(header.correlationId());
                    out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            var versions = new ApiVersionsClient(5000).fetch(new Node(1, "localhost", server.getLocalPort()));
            served.get(10, TimeUnit.SECONDS);
            assertThat(versions).containsExactly(v(ApiKeys.API_VERSIONS, 0, 4));
        }
    }
}
