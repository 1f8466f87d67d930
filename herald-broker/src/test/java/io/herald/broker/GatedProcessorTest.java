package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.ConnectionInfo;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GatedProcessorTest {
    @Test
    void requestsHeldBeforeReadinessAreServedInArrivalOrder() {
        List<Integer> served = new ArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        GatedProcessor gate = new GatedProcessor(
                (connection, frame) -> {
                    served.add(frame.getInt(0));
                    return CompletableFuture.completedFuture(null);
                },
                ready);
        ConnectionInfo connection = new ConnectionInfo("PLAINTEXT", InetAddress.getLoopbackAddress(), "c");
        List<CompletableFuture<?>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(gate.process(connection, ByteBuffer.allocate(4).putInt(0, i)));
        }
        assertThat(served).isEmpty();
        assertThat(responses).noneMatch(CompletableFuture::isDone);
        ready.complete(null);
        assertThat(served).containsExactly(0, 1, 2, 3, 4);
        assertThat(responses).allMatch(CompletableFuture::isDone);
        gate.process(connection, ByteBuffer.allocate(4).putInt(0, 5));
        assertThat(served).endsWith(5);
    }

    @Test
    void aRequestArrivingWhileHeldOnesAreServedWaitsForThem() {
        List<Integer> served = new ArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        ConnectionInfo connection = new ConnectionInfo("PLAINTEXT", InetAddress.getLoopbackAddress(), "c");
        GatedProcessor[] gate = new GatedProcessor[1];
        gate[0] = new GatedProcessor(
                (c, frame) -> {
                    int n = frame.getInt(0);
                    served.add(n);
                    if (n == 0) {
                        // The connection's next request arrives while the gate is still serving the held ones.
                        gate[0].process(connection, ByteBuffer.allocate(4).putInt(0, 3));
                    }
                    return CompletableFuture.completedFuture(null);
                },
                ready);
        for (int i = 0; i < 3; i++) {
            gate[0].process(connection, ByteBuffer.allocate(4).putInt(0, i));
        }
        ready.complete(null);
        assertThat(served).containsExactly(0, 1, 2, 3);
    }
}
