package io.herald.it;

import java.util.Locale;
import org.apache.kafka.common.security.auth.AuthenticationContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.SaslAuthenticationContext;

/**
 * A test {@code principal.builder.class}: names each PLAINTEXT connection's principal after the listener it came in
 * on ({@code User:alice} on listener ALICE), so one broker serves distinct principals without authentication; a
 * SASL connection's principal is its authenticated user.
 */
public final class ListenerPrincipalBuilder implements KafkaPrincipalBuilder {
    @Override
    public KafkaPrincipal build(AuthenticationContext context) {
        if (context instanceof SaslAuthenticationContext sasl) {
            // An authenticated user is who it says, as Kafka's default builder names it.
            return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, sasl.server().getAuthorizationID());
        }
        return new KafkaPrincipal(
                KafkaPrincipal.USER_TYPE, context.listenerName().toLowerCase(Locale.ROOT));
    }
}
