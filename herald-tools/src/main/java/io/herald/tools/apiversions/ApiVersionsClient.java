package io.herald.tools.apiversions;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Asks one broker for its supported API versions with a single ApiVersions request over a plain TCP connection. The
 * Admin client has no public call for this, so the request is framed with kafka-clients' message classes.
 */
public final class ApiVersionsClient {
    /** v3 is what current clients send first; every broker since Kafka 2.4 answers it. */
    private static final short VERSION = 3;

    private final int timeoutMs;

    public ApiVersionsClient(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public List<ApiVersion> fetch(Node node) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.host(), node.port()), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            var header = new RequestHeader(ApiKeys.API_VERSIONS, VERSION, "broker-api-versions-command", 1);
            ByteBuffer request = new ApiVersionsRequest.Builder().build(VERSION).serializeWithHeader(header);
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.remaining());
            out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
            out.flush();
            var in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            if (size < 4 || size > 16 * 1024 * 1024) {
                throw new IOException("Invalid response size " + size);
            }
            byte[] bytes = in.readNBytes(size);
            if (bytes.length != size) {
                throw new IOException("Connection closed before the response was complete");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            ResponseHeader.parse(buffer, ApiKeys.API_VERSIONS.responseHeaderVersion(VERSION));
            var response = ApiVersionsResponse.parse(new ByteBufferAccessor(buffer), VERSION);
            Errors error = Errors.forCode(response.data().errorCode());
            if (error != Errors.NONE) {
                throw new IOException(error.message());
            }
            return List.copyOf(response.data().apiKeys());
        }
    }
}
