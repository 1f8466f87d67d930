package io.herald.protocol;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The connection a frame arrived on, as the network layer describes it: the listener, the peer, and who the peer is
 * once authenticated ({@link KafkaPrincipal#ANONYMOUS} on a PLAINTEXT listener, as in Kafka), and {@code closed},
 * which completes when the connection is gone (a handler may act on a peer's disappearance, as the controller does
 * when a broker's heartbeat connection drops).
 */
public record ConnectionInfo(
        String listenerName,
        InetAddress clientAddress,
        String connectionId,
        KafkaPrincipal principal,
        SecurityProtocol securityProtocol,
        CompletionStage<Void> closed) {

    /** A connection on a PLAINTEXT listener: anonymous. */
    public ConnectionInfo(String listenerName, InetAddress clientAddress, String connectionId) {
        this(listenerName, clientAddress, connectionId, KafkaPrincipal.ANONYMOUS, SecurityProtocol.PLAINTEXT);
    }

    /** A connection whose end nobody watches (tests, in-process callers). */
    public ConnectionInfo(
            String listenerName,
            InetAddress clientAddress,
            String connectionId,
            KafkaPrincipal principal,
            SecurityProtocol securityProtocol) {
        this(listenerName, clientAddress, connectionId, principal, securityProtocol, new CompletableFuture<>());
    }

    /** The same connection after authentication named its principal. */
    public ConnectionInfo withPrincipal(KafkaPrincipal authenticated) {
        return new ConnectionInfo(listenerName, clientAddress, connectionId, authenticated, securityProtocol, closed);
    }
}
