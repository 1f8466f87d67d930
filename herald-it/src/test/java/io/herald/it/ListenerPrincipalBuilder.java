package io.herald.it;

import java.util.Locale;
import org.apache.kafka.common.security.auth.AuthenticationContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;

/**
 * A test {@code principal.builder.class}: names each PLAINTEXT connection's principal after the listener it came in
 * on ({@code User:alice} on listener ALICE), so one broker serves distinct principals without authentication.
 */
public final class ListenerPrincipalBuilder implements KafkaPrincipalBuilder {
    @Override
    public KafkaPrincipal build(AuthenticationContext context) {
        return new KafkaPrincipal(
                KafkaPrincipal.USER_TYPE, context.listenerName().toLowerCase(Locale.ROOT));
    }
}
