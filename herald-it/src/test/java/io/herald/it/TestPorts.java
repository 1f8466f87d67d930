package io.herald.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for test servers (the quorum needs ports known before it starts). */
final class TestPorts {
    private TestPorts() {}

    static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The quorum's Raft ports are the controller ports plus this (the default herald.quorum.raft.port.offset). */
    static final int RAFT_OFFSET = 10_000;

    /**
     * {@code count} consecutive controller ports below 32768 (outside the range the OS hands out for port 0) whose Raft
     * ports ({@link #RAFT_OFFSET} higher) are free too: a static quorum needs every voter's ports before any starts.
     */
    static int[] freeQuorumPorts(int count) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(10_000, 22_000);
            int[] ports = new int[count];
            boolean allFree = true;
            for (int i = 0; i < count && allFree; i++) {
                ports[i] = base + i;
                allFree = isFree(ports[i]) && isFree(ports[i] + RAFT_OFFSET);
            }
            if (allFree) {
                return ports;
            }
        }
        throw new IllegalStateException("no free ports for a quorum of " + count);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
