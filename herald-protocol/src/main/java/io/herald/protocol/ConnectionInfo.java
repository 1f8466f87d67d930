package io.herald.protocol;

import java.net.InetAddress;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The connection a frame arrived on, as the network layer describes it: the listener, the peer, and who the peer is
 * once authenticated ({@link KafkaPrincipal#ANONYMOUS} on a PLAINTEXT listener, as in Kafka).
 */
public record ConnectionInfo(
        String listenerName,
        InetAddress clientAddress,
        String connectionId,
        KafkaPrincipal principal,
        SecurityProtocol securityProtocol) {

    /** A connection on a PLAINTEXT listener: anonymous. */
    public ConnectionInfo(String listenerName, InetAddress clientAddress, String connectionId) {
        this(listenerName, clientAddress, connectionId, KafkaPrincipal.ANONYMOUS, SecurityProtocol.PLAINTEXT);
    }

    /** The same connection after authentication named its principal. */
    public ConnectionInfo withPrincipal(KafkaPrincipal authenticated) {
        return new ConnectionInfo(listenerName, clientAddress, connectionId, authenticated, securityProtocol);
    }
}
