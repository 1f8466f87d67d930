package io.herald.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Low ports handed out in this JVM: two clusters of one test run never get the same port. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A free port below 32768 for a node that will be killed and restarted on it: the OS never hands such a port to an
     * outgoing connection (its ephemeral range starts at 32768), so it is still free when the node comes back.
     */
    static int freeLow() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, 32_000);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port below 32768");
    }

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
                allFree = isFree(ports[i])
                        && isFree(ports[i] + RAFT_OFFSET)
                        && !HANDED_OUT.contains(ports[i])
                        && !HANDED_OUT.contains(ports[i] + RAFT_OFFSET);
            }
            if (allFree) {
                for (int port : ports) {
                    HANDED_OUT.add(port);
                    HANDED_OUT.add(port + RAFT_OFFSET);
                }
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
