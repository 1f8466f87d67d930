package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed traffic on one connection closes that connection (or is answered with Kafka's error) and never disturbs
 * the broker or a well-behaved client on another connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @AfterEach
    void wellBehavedClientIsStillServed() throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }

    @Test
    void negativeFrameSizeClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(-5);
            assertClosed(socket);
        }
    }

    @Test
    void oversizedFrameClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(200 * 1024 * 1024);
            assertClosed(socket);
        }
    }

    @Test
    void garbageClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(6);
            out.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2});
            assertClosed(socket);
        }
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(8);
            out.writeShort(9999);
            out.writeShort(0);
            out.writeInt(7);
            assertClosed(socket);
        }
    }

    @Test
    void unsupportedVersionOfAnApiClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            // Metadata v14 does not exist: the header parses, the version is refused.
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(10);
            out.writeShort(ApiKeys.METADATA.id);
            out.writeShort(99);
            out.writeInt(7);
            out.writeShort(-1);
            assertClosed(socket);
        }
    }

    @Test
    void tooNewApiVersionsIsAnsweredInVersionZeroWithTheSupportedRanges() throws IOException {
        try (Socket socket = connect()) {
            RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, (short) 99, "probe", 42);
            // Serialize the header by hand for the unknown version: key, version, correlation id, client id.
            ByteBuffer buffer = ByteBuffer.allocate(64);
            buffer.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(42);
            buffer.putShort((short) 5).put("probe".getBytes());
            buffer.put((byte) 0); // empty tagged fields of a flexible header
            buffer.flip();
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(buffer.remaining());
            out.write(buffer.array(), 0, buffer.remaining());
            ByteBuffer response = readFrame(socket);
            assertThat(ResponseHeader.parse(response, (short) 0).correlationId())
                    .isEqualTo(header.correlationId());
            ApiVersionsResponseData data = new ApiVersionsResponseData(new ByteBufferAccessor(response), (short) 0);
            assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(data.apiKeys().find(ApiKeys.METADATA.id)).isNotNull();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (int i = 0; i < 20; i++) {
                boolean metadata = i % 2 == 0;
                RequestHeader header = new RequestHeader(
                        metadata ? ApiKeys.METADATA : ApiKeys.API_VERSIONS, (short) (metadata ? 12 : 3), "p", i);
                ByteBuffer bytes = metadata
                        ? RequestUtils.serialize(
                                header.data(), header.headerVersion(), new MetadataRequestData(), (short) 12)
                        : RequestUtils.serialize(
                                header.data(),
                                header.headerVersion(),
                                new ApiVersionsRequestData()
                                        .setClientSoftwareName("p")
                                        .setClientSoftwareVersion("1"),
                                (short) 3);
                out.writeInt(bytes.remaining());
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            }
            out.flush();
            for (int i = 0; i < 20; i++) {
                ByteBuffer response = readFrame(socket);
                assertThat(response.getInt(0)).isEqualTo(i);
            }
        }
    }

    private static Socket connect() throws IOException {
        String[] hostPort = node.bootstrapServers().split(":");
        Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static ByteBuffer readFrame(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    private static void assertClosed(Socket socket) throws IOException {
        try {
            int read = socket.getInputStream().read();
            assertThat(read).as("the server closes the connection").isEqualTo(-1);
        } catch (SocketException | EOFException e) {
            // A reset is a close too.
        }
    }
}
