package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/** One connection that sends hand-built requests of any version and parses the answers: for bad input and sweeps. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private int correlationId;

    RawClient(String bootstrapServers) throws IOException {
        String[] hostPort = bootstrapServers.split(":");
        this.socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setSoTimeout(30_000);
    }

    /** A connection from {@code localAddress} (any of 127.0.0.0/8 on loopback: another client IP). */
    RawClient(String bootstrapServers, java.net.InetAddress localAddress) throws IOException {
        String[] hostPort = bootstrapServers.split(":");
        this.socket =
                new Socket(java.net.InetAddress.getByName(hostPort[0]), Integer.parseInt(hostPort[1]), localAddress, 0);
        socket.setSoTimeout(30_000);
    }

    <T extends ApiMessage> T call(ApiKeys key, int version, ApiMessage body) throws IOException {
        return receive(key, version, write(key, version, body));
    }

    /** Writes a request without waiting for its answer (to pipeline several), returning its correlation id. */
    int write(ApiKeys key, int version, ApiMessage body) throws IOException {
        short v = (short) version;
        int id = ++correlationId;
        RequestHeader header = new RequestHeader(key, v, "raw-client", id);
        ByteBuffer bytes = RequestUtils.serialize(header.data(), header.headerVersion(), body, v);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(bytes.remaining());
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        out.flush();
        return id;
    }

    /** Reads the next answer, which must be the one to the request with this correlation id. */
    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T receive(ApiKeys key, int version, int id) throws IOException {
        short v = (short) version;
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ByteBuffer response = ByteBuffer.wrap(frame);
        assertThat(ResponseHeader.parse(response, key.responseHeaderVersion(v)).correlationId())
                .isEqualTo(id);
        AbstractResponse parsed = AbstractResponse.parseResponse(key, new ByteBufferAccessor(response), v);
        return (T) parsed.data();
    }

    /** Sends a request that gets no response (acks=0 Produce). */
    void send(ApiKeys key, int version, ApiMessage body) throws IOException {
        write(key, version, body);
    }

    /** Whether the broker closed the connection (end of stream) within the socket timeout, without sending a byte. */
    boolean closedByPeer() throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return true; // reset by the peer
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
