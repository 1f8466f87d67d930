package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault-injecting proxy in front of an echo server: forwards, blackholes, refuses and heals. */
@Timeout(60)
class FaultyProxyTest {
    private ServerSocket echo;
    private FaultyProxy proxy;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket();
        echo.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // closed
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = new FaultyProxy(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout(2000);
        return socket;
    }

    private static int roundTrip(Socket socket, int b) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(b);
        out.flush();
        return socket.getInputStream().read();
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, 42)).isEqualTo(42);
        }
    }

    @Test
    void aBlackholeLosesBytesSilentlyAndHealingClosesTheTornConnections() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, 1)).isEqualTo(1);
            proxy.blackhole();
            before.getOutputStream().write(2);
            InputStream in = before.getInputStream();
            assertThat(org.assertj.core.api.Assertions.catchThrowable(in::read))
                    .isInstanceOf(SocketTimeoutException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.droppedBytes() >= 1);
            try (Socket during = connect()) {
                during.getOutputStream().write(3);
                assertThat(org.assertj.core.api.Assertions.catchThrowable(
                                () -> during.getInputStream().read()))
                        .isInstanceOf(SocketTimeoutException.class);
            }
            proxy.heal();
            assertThat(in.read()).as("the torn connection is closed").isEqualTo(-1);
        }
        try (Socket after = connect()) {
            assertThat(roundTrip(after, 4)).isEqualTo(4);
        }
    }

    @Test
    void refusingClosesConnections() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, 1)).isEqualTo(1);
            proxy.refuse();
            assertThat(before.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket during = connect()) {
            assertThat(during.getInputStream().read()).isEqualTo(-1);
        }
        proxy.heal();
        try (Socket after = connect()) {
            assertThat(roundTrip(after, 5)).isEqualTo(5);
        }
    }
}
