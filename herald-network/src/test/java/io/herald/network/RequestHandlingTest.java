package io.herald.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestProcessor;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.kafka.common.network.ByteBufferSend;
import org.apache.kafka.common.network.Send;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request-handler pool over real TCP with a stand-in processor (no broker): handlers run off the event loops,
 * one connection's requests keep their order, and a full memory pool stops reading instead of buffering.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestHandlingTest {
    private NetworkServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private InetSocketAddress serve(int networkThreads, RequestHandling handling, RequestProcessor processor)
            throws InterruptedException {
        NetworkConfig network = new NetworkConfig(1 << 20, 600_000L, networkThreads, 102400, 102400, 64);
        server = new NetworkServer(network, handling);
        return server.bind("PLAINTEXT", "127.0.0.1", 0, processor);
    }

    /** A processor answering each frame with its own bytes, after {@code work} decided when. */
    private static RequestProcessor echo(BiFunction<ConnectionInfo, ByteBuffer, CompletableFuture<Void>> work) {
        return (connection, frame) -> {
            ByteBuffer answer = frame.duplicate();
            return work.apply(connection, frame).thenApply(done -> (Send) ByteBufferSend.sizePrefixed(answer));
        };
    }

    @Test
    void aSlowRequestDoesNotStallAnotherConnectionOfTheSameEventLoop() throws Exception {
        CountDownLatch slowDiskDone = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        // One event loop for every connection: before the pool, the slow request (a roll's fsync) ran on it.
        InetSocketAddress address = serve(1, new RequestHandling(2, 500, -1, Set.of()), echo((connection, frame) -> {
            if (frame.get(frame.position()) == 's') {
                slowStarted.countDown();
                try {
                    slowDiskDone.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            assertThat(Thread.currentThread().getName()).doesNotContain("herald-network");
            return CompletableFuture.completedFuture(null);
        }));
        try (Peer slow = new Peer(address);
                Peer fast = new Peer(address)) {
            slow.send("slow");
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            fast.send("fast");
            assertThat(fast.receive()).isEqualTo("fast");
            slowDiskDone.countDown();
            assertThat(slow.receive()).isEqualTo("slow");
        }
    }

    @Test
    void eachConnectionsRequestsReachTheHandlersInArrivalOrderAndAreAnsweredInOrder() throws Exception {
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        InetSocketAddress address = serve(2, new RequestHandling(4, 500, -1, Set.of()), echo((connection, frame) -> {
            seen.computeIfAbsent(connection.connectionId(), id -> new CopyOnWriteArrayList<>())
                    .add(Integer.parseInt(text(frame)));
            // Answers complete out of order, on other threads, as acks=all and long-polls do.
            return CompletableFuture.runAsync(
                    () -> {},
                    CompletableFuture.delayedExecutor(
                            ThreadLocalRandom.current().nextInt(3), TimeUnit.MILLISECONDS));
        }));
        int requests = 300;
        List<Peer> peers = new ArrayList<>();
        try {
            for (int p = 0; p < 3; p++) {
                peers.add(new Peer(address));
            }
            for (int i = 0; i < requests; i++) {
                for (Peer peer : peers) {
                    peer.send(Integer.toString(i));
                }
            }
            for (Peer peer : peers) {
                for (int i = 0; i < requests; i++) {
                    assertThat(peer.receive()).isEqualTo(Integer.toString(i));
                }
            }
        } finally {
            for (Peer peer : peers) {
                peer.close();
            }
        }
        assertThat(seen).hasSize(3);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            expected.add(i);
        }
        assertThat(seen.values()).allSatisfy(order -> assertThat(order).isEqualTo(expected));
    }

    @Test
    void aFullMemoryPoolStopsReadingUntilAnswersMakeRoom() throws Exception {
        int frameBytes = 16 * 1024;
        long poolBytes = 4L * frameBytes;
        List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
        InetSocketAddress address =
                serve(1, new RequestHandling(2, 500, poolBytes, Set.of()), echo((connection, frame) -> {
                    CompletableFuture<Void> answer = new CompletableFuture<>();
                    held.add(answer);
                    return answer;
                }));
        int requests = 20;
        try (Peer a = new Peer(address);
                Peer b = new Peer(address)) {
            String payload = "x".repeat(frameBytes);
            // Sent from other threads: once the broker stops reading, the writes block in TCP's buffers.
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (Peer peer : List.of(a, b)) {
                sends.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < requests / 2; i++) {
                        peer.sendUnchecked(payload);
                    }
                }));
            }
            // Reading stops once the pool is used up: 4 frames fit, the one that finds it not yet full overshoots.
            await().atMost(Duration.ofSeconds(10)).until(() -> held.size() >= 4);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> held.size() <= 5);
            assertThat(server.dataPlaneStats().queuedRequestBytes()).isLessThanOrEqualTo(poolBytes + frameBytes);
            // Answering makes room: everything is read and answered in the end.
            int answered = 0;
            while (answered < requests) {
                await().atMost(Duration.ofSeconds(10)).until(() -> held.stream().anyMatch(f -> !f.isDone()));
                for (CompletableFuture<Void> answer : held) {
                    if (answer.complete(null)) {
                        answered++;
                    }
                }
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < requests / 2; i++) {
                assertThat(a.receive()).hasSize(frameBytes);
                assertThat(b.receive()).hasSize(frameBytes);
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.dataPlaneStats().queuedRequestBytes() == 0);
    }

    private static String text(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A client connection speaking size-prefixed frames. */
    private static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final DataOutputStream out;
        private final DataInputStream in;

        Peer(InetSocketAddress address) throws IOException {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout(20_000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        void send(String payload) throws IOException {
            byte[] bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
        }

        void sendUnchecked(String payload) {
            try {
                send(payload);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String receive() throws IOException {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            return new String(frame, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
