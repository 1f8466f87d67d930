package io.herald.it;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a broker that loses the response to the first Produce request it forwards: the request
 * reaches the broker (and is written), then the client's connection is cut before the answer arrives. The client
 * must retry, which is what idempotence is for. Clients of the proxy must not use acks=0 (which has no response).
 */
final class DroppingProxy implements AutoCloseable {
    private static final short PRODUCE = 0;

    private final ServerSocket server;
    private final int brokerPort;
    private final AtomicInteger producesToDrop;
    private final AtomicInteger dropped = new AtomicInteger();
    private final Thread acceptor;

    DroppingProxy(int listenPort, int brokerPort, int producesToDrop) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress("127.0.0.1", listenPort));
        this.brokerPort = brokerPort;
        this.producesToDrop = new AtomicInteger(producesToDrop);
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    int dropped() {
        return dropped.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket("127.0.0.1", brokerPort);
                Thread.ofVirtual().start(() -> pump(client, broker));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Forwards frames one at a time, request then response, so a response can be swallowed. */
    private void pump(Socket client, Socket broker) {
        try (client;
                broker) {
            DataInputStream fromClient = new DataInputStream(client.getInputStream());
            DataOutputStream toBroker = new DataOutputStream(broker.getOutputStream());
            DataInputStream fromBroker = new DataInputStream(broker.getInputStream());
            DataOutputStream toClient = new DataOutputStream(client.getOutputStream());
            while (true) {
                byte[] request = readFrame(fromClient);
                short apiKey = (short) (((request[0] & 0xff) << 8) | (request[1] & 0xff));
                writeFrame(toBroker, request);
                byte[] response = readFrame(fromBroker);
                if (apiKey == PRODUCE && producesToDrop.getAndDecrement() > 0) {
                    dropped.incrementAndGet();
                    return; // the broker has written the batch; the client never hears so
                }
                writeFrame(toClient, response);
            }
        } catch (IOException e) {
            // either side went away
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        return frame;
    }

    private static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
