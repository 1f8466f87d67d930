package io.herald.bench.compare;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Measures start-up as a client sees it: polls a listener with a bare Metadata request (no client library state, no
 * back-off beyond {@link #POLL_INTERVAL_NANOS}) until an answer names at least one broker.
 */
final class MetadataProbe {
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int CONNECT_TIMEOUT_MS = 200;
    private static final int READ_TIMEOUT_MS = 30_000;
    private static final short METADATA_VERSION = 12;

    private MetadataProbe() {}

    /** Returns once a Metadata answer lists a broker; throws TimeoutException after {@code timeoutNanos}. */
    static void awaitFirstAnswer(String host, int port, long timeoutNanos, ProcessHandle broker)
            throws TimeoutException {
        long deadline = System.nanoTime() + timeoutNanos;
        int correlationId = 0;
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the broker exited during start-up");
            }
            if (answersWithBrokers(host, port, ++correlationId)) {
                return;
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
        throw new TimeoutException("no Metadata answer from " + host + ":" + port);
    }

    private static boolean answersWithBrokers(String host, int port, int correlationId) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            RequestHeader header =
                    new RequestHeader(ApiKeys.METADATA, METADATA_VERSION, "herald-bench-probe", correlationId);
            MetadataRequest request = new MetadataRequest.Builder(
                            new MetadataRequestData().setTopics(List.of()).setAllowAutoTopicCreation(false))
                    .build(METADATA_VERSION);
            ByteBuffer payload = request.serializeWithHeader(header);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(payload.remaining());
            out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            AbstractResponse response = AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
            return response instanceof MetadataResponse metadata
                    && !metadata.brokers().isEmpty();
        } catch (IOException | RuntimeException e) {
            return false; // not listening yet, or closed on us while starting: poll again
        }
    }
}
