package io.herald.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SASL exchange of one connection, frame by frame, with time passed in. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SaslAuthenticatorTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ListenerSecurity security = ListenerSecurity.create(
            "SASL",
            SecurityProtocol.SASL_PLAINTEXT,
            Map.of(
                    "sasl.enabled.mechanisms", "PLAIN",
                    "listener.name.sasl.plain.sasl.jaas.config",
                            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                    + " user_alice=\"alice-secret\";",
                    "connections.max.reauth.ms", "1000"),
            ScramCredentialLookup.NONE);
    private final SaslAuthenticator authenticator =
            security.newAuthenticator("c1", InetAddress.getLoopbackAddress(), null);
    private int correlationId;

    @AfterEach
    void close() {
        security.close();
    }

    @Test
    void aRequestBeforeAuthenticationClosesTheConnection() {
        assertThat(authenticator.onFrame(frame(ApiKeys.METADATA, 12, new MetadataRequestData()), 0))
                .isInstanceOf(SaslAuthenticator.Close.class);
        assertThat(authenticator.principal()).isNull();
    }

    @Test
    void aSessionLastsConnectionsMaxReauthMsThenClosesUnlessRenewed() {
        long start = 1_000_000 * MS;
        handshake(start);
        SaslAuthenticateResponseData answer = authenticate("alice-secret", start);
        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(answer.sessionLifetimeMs()).isEqualTo(1000);
        assertThat(authenticator.principal().toString()).isEqualTo("User:alice");
        ByteBuffer metadata = frame(ApiKeys.METADATA, 12, new MetadataRequestData());
        assertThat(authenticator.onFrame(metadata.duplicate(), start + 999 * MS))
                .isInstanceOf(SaslAuthenticator.Pass.class);
        // Re-authenticating renews the session from then on.
        handshake(start + 900 * MS);
        assertThat(authenticate("alice-secret", start + 900 * MS).sessionLifetimeMs())
                .isEqualTo(1000);
        assertThat(authenticator.onFrame(metadata.duplicate(), start + 1800 * MS))
                .isInstanceOf(SaslAuthenticator.Pass.class);
        assertThat(authenticator.onFrame(metadata.duplicate(), start + 1901 * MS))
                .isInstanceOf(SaslAuthenticator.Close.class);
    }

    @Test
    void aWrongPasswordIsAnsweredWithKafkasErrorAndThenTheConnectionCloses() {
        handshake(0);
        SaslAuthenticator.Outcome outcome = authenticator.onFrame(authenticateFrame("wrong"), 0);
        assertThat(outcome).isInstanceOf(SaslAuthenticator.Respond.class);
        assertThat(((SaslAuthenticator.Respond) outcome).closeAfter()).isTrue();
        SaslAuthenticateResponseData answer = parse(((SaslAuthenticator.Respond) outcome));
        assertThat(answer.errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(answer.errorMessage()).isEqualTo("Authentication failed: Invalid username or password");
        assertThat(authenticator.principal()).isNull();
    }

    @Test
    void aSaslHandshakeV0ClientSendsBareTokens() throws Exception {
        SaslAuthenticator.Outcome handshake = authenticator.onFrame(
                frame(ApiKeys.SASL_HANDSHAKE, 0, new SaslHandshakeRequestData().setMechanism("PLAIN")), 0);
        assertThat(handshake).isInstanceOf(SaslAuthenticator.Respond.class);
        ByteBuffer token = ByteBuffer.wrap("\0alice\0alice-secret".getBytes(StandardCharsets.UTF_8));
        SaslAuthenticator.Outcome answer = authenticator.onFrame(token, 0);
        assertThat(answer).isInstanceOf(SaslAuthenticator.Respond.class);
        ByteBuf bytes = SendBuffers.copy(UnpooledByteBufAllocator.DEFAULT, ((SaslAuthenticator.Respond) answer).send());
        assertThat(bytes.readInt()).as("an empty size-prefixed token").isZero();
        bytes.release();
        assertThat(authenticator.principal().toString()).isEqualTo("User:alice");
    }

    private void handshake(long nowNanos) {
        SaslAuthenticator.Outcome outcome = authenticator.onFrame(
                frame(ApiKeys.SASL_HANDSHAKE, 1, new SaslHandshakeRequestData().setMechanism("PLAIN")), nowNanos);
        assertThat(outcome).isInstanceOf(SaslAuthenticator.Respond.class);
        assertThat(((SaslAuthenticator.Respond) outcome).closeAfter()).isFalse();
    }

    private SaslAuthenticateResponseData authenticate(String password, long nowNanos) {
        SaslAuthenticator.Outcome outcome = authenticator.onFrame(authenticateFrame(password), nowNanos);
        assertThat(outcome).isInstanceOf(SaslAuthenticator.Respond.class);
        return parse((SaslAuthenticator.Respond) outcome);
    }

    private ByteBuffer authenticateFrame(String password) {
        byte[] token = ("\0alice\0" + password).getBytes(StandardCharsets.UTF_8);
        return frame(ApiKeys.SASL_AUTHENTICATE, 2, new SaslAuthenticateRequestData().setAuthBytes(token));
    }

    private ByteBuffer frame(ApiKeys key, int version, ApiMessage body) {
        RequestHeader header = new RequestHeader(key, (short) version, "test", correlationId++);
        return RequestUtils.serialize(header.data(), header.headerVersion(), body, (short) version);
    }

    private static SaslAuthenticateResponseData parse(SaslAuthenticator.Respond respond) {
        try {
            ByteBuf bytes = SendBuffers.copy(UnpooledByteBufAllocator.DEFAULT, respond.send());
            ByteBuffer buffer = bytes.nioBuffer();
            buffer.getInt();
            ResponseHeader.parse(buffer, ApiKeys.SASL_AUTHENTICATE.responseHeaderVersion((short) 2));
            SaslAuthenticateResponseData data =
                    new SaslAuthenticateResponseData(new ByteBufferAccessor(buffer), (short) 2);
            bytes.release();
            return data;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
