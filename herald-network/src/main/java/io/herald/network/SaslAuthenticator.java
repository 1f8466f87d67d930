package io.herald.network;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.network.ByteBufferSend;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.SendBuilder;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.SaslAuthenticationContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.authenticator.SaslInternalConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL exchange of one connection, in Kafka's order: ApiVersions may come first, then SaslHandshake names the
 * mechanism and SaslAuthenticate carries its tokens (SaslHandshake v0 clients send the tokens as bare size-prefixed
 * frames instead). Any other request before the exchange succeeds closes the connection. Once authenticated the
 * session lasts {@code connections.max.reauth.ms} (or until the credential expires, KIP-368); a client re-authenticates
 * with a new SaslHandshake, and a request on an expired session closes the connection. Runs on the connection's event
 * loop only.
 */
final class SaslAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(SaslAuthenticator.class);

    /** What to do with a frame. */
    sealed interface Outcome permits Pass, Respond, Close {}

    /** Not for the authenticator: serve it as a request of the authenticated (or not yet) connection. */
    record Pass() implements Outcome {}

    /** Answer with this; when {@code closeAfter}, close the connection once it is written. */
    record Respond(Send send, boolean closeAfter) implements Outcome {}

    /** Close the connection without an answer. */
    record Close(String reason) implements Outcome {}

    private static final Pass PASS = new Pass();

    private enum State {
        HANDSHAKE,
        AUTHENTICATE,
        RAW_TOKENS,
        AUTHENTICATED
    }

    private final SaslMechanisms mechanisms;
    private final KafkaPrincipalBuilder principalBuilder;
    private final SecurityProtocol protocol;
    private final String listenerName;
    private final String connectionId;
    private final InetAddress clientAddress;
    private final SSLSession sslSession;
    private State state = State.HANDSHAKE;
    private String mechanism;
    private SaslServer server;
    private KafkaPrincipal principal;
    private boolean sessionLimited;
    private long sessionExpiryNanos;

    SaslAuthenticator(
            SaslMechanisms mechanisms,
            KafkaPrincipalBuilder principalBuilder,
            SecurityProtocol protocol,
            String listenerName,
            String connectionId,
            InetAddress clientAddress,
            SSLSession sslSession) {
        this.mechanisms = mechanisms;
        this.principalBuilder = principalBuilder;
        this.protocol = protocol;
        this.listenerName = listenerName;
        this.connectionId = connectionId;
        this.clientAddress = clientAddress;
        this.sslSession = sslSession;
    }

    /** The authenticated principal, or null before the first exchange succeeded. */
    KafkaPrincipal principal() {
        return principal;
    }

    Outcome onFrame(ByteBuffer frame, long nowNanos) {
        if (state == State.RAW_TOKENS) {
            return rawToken(frame, nowNanos);
        }
        if (frame.remaining() < 4) {
            return new Close("a request frame of " + frame.remaining() + " bytes has no header");
        }
        short keyId = frame.getShort(frame.position());
        if (!ApiKeys.hasId(keyId)) {
            return new Close("unknown API key " + keyId + " during SASL authentication");
        }
        ApiKeys key = ApiKeys.forId(keyId);
        if (key == ApiKeys.SASL_HANDSHAKE && (state == State.HANDSHAKE || state == State.AUTHENTICATED)) {
            return handshake(frame.duplicate());
        }
        if (key == ApiKeys.SASL_AUTHENTICATE && state == State.AUTHENTICATE) {
            return authenticate(frame.duplicate(), nowNanos);
        }
        if (principal == null) {
            if (key == ApiKeys.API_VERSIONS && state == State.HANDSHAKE) {
                return PASS;
            }
            return new Close("unexpected " + key.name + " request before SASL authentication");
        }
        if (sessionLimited && nowNanos - sessionExpiryNanos > 0 && state == State.AUTHENTICATED) {
            return new Close("its SASL session expired without re-authentication (connections.max.reauth.ms)");
        }
        return key == ApiKeys.SASL_AUTHENTICATE ? new Close("SaslAuthenticate without SaslHandshake") : PASS;
    }

    private Outcome handshake(ByteBuffer frame) {
        RequestHeader header = RequestHeader.parse(frame);
        short version = header.apiVersion();
        if (version < 0 || version > 1) {
            return new Close("unsupported SaslHandshake version " + version);
        }
        SaslHandshakeRequestData request = new SaslHandshakeRequestData(new ByteBufferAccessor(frame), version);
        String requested = request.mechanism();
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(mechanisms.enabled());
        boolean reauth = principal != null;
        if (!mechanisms.isEnabled(requested) || (reauth && !requested.equals(mechanism))) {
            LOG.warn(
                    "Failed authentication with {} on listener {}: SASL mechanism {} is not enabled (enabled: {})",
                    clientAddress.getHostAddress(),
                    listenerName,
                    requested,
                    mechanisms.enabled());
            response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
            return new Respond(SendBuilder.buildResponseSend(header.toResponseHeader(), response, version), true);
        }
        dispose();
        try {
            server = mechanisms.newServer(requested, "localhost");
        } catch (SaslException e) {
            return new Close("cannot start SASL mechanism " + requested + ": " + e.getMessage());
        }
        mechanism = requested;
        state = version == 0 ? State.RAW_TOKENS : State.AUTHENTICATE;
        response.setErrorCode(Errors.NONE.code());
        return new Respond(SendBuilder.buildResponseSend(header.toResponseHeader(), response, version), false);
    }

    private Outcome authenticate(ByteBuffer frame, long nowNanos) {
        RequestHeader header = RequestHeader.parse(frame);
        short version = header.apiVersion();
        if (version < 0 || version > 2) {
            return new Close("unsupported SaslAuthenticate version " + version);
        }
        SaslAuthenticateRequestData request = new SaslAuthenticateRequestData(new ByteBufferAccessor(frame), version);
        SaslAuthenticateResponseData response = new SaslAuthenticateResponseData();
        try {
            byte[] challenge = server.evaluateResponse(request.authBytes());
            response.setAuthBytes(challenge == null ? new byte[0] : challenge);
            if (server.isComplete()) {
                long lifetimeMs = completed(nowNanos);
                if (version >= 1) {
                    response.setSessionLifetimeMs(lifetimeMs);
                }
            }
        } catch (SaslException | SaslAuthenticationException e) {
            response.setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(failureMessage(e))
                    .setAuthBytes(new byte[0]);
            return new Respond(SendBuilder.buildResponseSend(header.toResponseHeader(), response, version), true);
        }
        return new Respond(SendBuilder.buildResponseSend(header.toResponseHeader(), response, version), false);
    }

    private Outcome rawToken(ByteBuffer frame, long nowNanos) {
        byte[] token = new byte[frame.remaining()];
        frame.duplicate().get(token);
        try {
            byte[] challenge = server.evaluateResponse(token);
            if (server.isComplete()) {
                completed(nowNanos);
            }
            if (challenge == null) {
                return new Respond(null, false);
            }
            return new Respond(ByteBufferSend.sizePrefixed(ByteBuffer.wrap(challenge)), false);
        } catch (SaslException | SaslAuthenticationException e) {
            return new Close("authentication failed: " + failureMessage(e));
        }
    }

    /** Releases the SASL server of the previous exchange, if any. */
    void dispose() {
        if (server != null) {
            try {
                server.dispose();
            } catch (SaslException e) {
                LOG.debug("Connection {}: disposing the SASL server failed: {}", connectionId, e.getMessage());
            }
            server = null;
        }
    }

    /** The exchange succeeded: name the principal and start the session. Returns the session lifetime to announce. */
    private long completed(long nowNanos) {
        KafkaPrincipal authenticated = principalBuilder.build(new SaslAuthenticationContext(
                server, protocol, clientAddress, listenerName, Optional.ofNullable(sslSession)));
        if (principal != null && !principal.equals(authenticated)) {
            throw new SaslAuthenticationException(
                    "Cannot change principals during re-authentication from " + principal + " to " + authenticated);
        }
        boolean reauth = principal != null;
        principal = authenticated;
        state = State.AUTHENTICATED;
        long lifetimeMs = sessionLifetimeMs(nowNanos);
        sessionLimited = lifetimeMs > 0;
        sessionExpiryNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(lifetimeMs);
        LOG.debug(
                "Connection {} {} as {} with {}",
                connectionId,
                reauth ? "re-authenticated" : "authenticated",
                principal,
                mechanism);
        return lifetimeMs;
    }

    /** KIP-368: the shorter of connections.max.reauth.ms and what is left of the credential's life; 0 for no limit. */
    private long sessionLifetimeMs(long nowNanos) {
        Object expiry =
                server.getNegotiatedProperty(SaslInternalConfigs.CREDENTIAL_LIFETIME_MS_SASL_NEGOTIATED_PROPERTY_KEY);
        long maxReauthMs = mechanisms.maxReauthMs();
        Long credentialLeftMs =
                expiry instanceof Long expiryMs ? Math.max(1, expiryMs - System.currentTimeMillis()) : null;
        if (credentialLeftMs == null) {
            return maxReauthMs;
        }
        return maxReauthMs == 0 ? credentialLeftMs : Math.min(maxReauthMs, credentialLeftMs);
    }

    /** Kafka's message for a failed exchange; never the credential itself, and logged once. */
    private String failureMessage(Exception e) {
        String message = e instanceof SaslAuthenticationException && e.getMessage() != null
                ? e.getMessage()
                : "Authentication failed during authentication due to invalid credentials with SASL mechanism "
                        + mechanism;
        LOG.warn(
                "Failed authentication with {} on listener {} ({}): {}",
                clientAddress.getHostAddress(),
                listenerName,
                mechanism,
                message);
        return message;
    }
}
