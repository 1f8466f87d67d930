package io.herald.tools.configs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * The SCRAM part of {@code kafka-configs.sh --entity-type users}: {@code --add-config
 * 'SCRAM-SHA-256=[iterations=8192,password=...]'} and {@code --delete-config SCRAM-SHA-512}, through Admin's
 * AlterUserScramCredentials (KIP-554). Iterations default to 4096, as Kafka's tool does.
 */
final class ScramConfigs {
    static final int DEFAULT_ITERATIONS = 4096;

    private ScramConfigs() {}

    static boolean isScram(String key) {
        return ScramMechanism.fromMechanismName(key) != ScramMechanism.UNKNOWN;
    }

    /** Takes the SCRAM keys out of {@code toAdd} and {@code toDelete} and applies them for {@code user}. */
    static boolean alter(Admin admin, String user, Map<String, String> toAdd, List<String> toDelete) throws Exception {
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        for (Map.Entry<String, String> e : new LinkedHashMap<>(toAdd).entrySet()) {
            if (isScram(e.getKey())) {
                Map<String, String> fields = fields(e.getKey(), e.getValue());
                String password = fields.get("password");
                if (password == null) {
                    throw new IllegalArgumentException("Invalid credential property " + e.getKey()
                            + ": a password must be given, e.g. " + e.getKey() + "=[password=...]");
                }
                int iterations = fields.containsKey("iterations")
                        ? Integer.parseInt(fields.get("iterations"))
                        : DEFAULT_ITERATIONS;
                alterations.add(new UserScramCredentialUpsertion(
                        user,
                        new ScramCredentialInfo(ScramMechanism.fromMechanismName(e.getKey()), iterations),
                        password));
                toAdd.remove(e.getKey());
            }
        }
        for (String key : List.copyOf(toDelete)) {
            if (isScram(key)) {
                alterations.add(new UserScramCredentialDeletion(user, ScramMechanism.fromMechanismName(key)));
                toDelete.remove(key);
            }
        }
        if (alterations.isEmpty()) {
            return false;
        }
        admin.alterUserScramCredentials(alterations).all().get();
        return true;
    }

    /** {@code iterations=8192,password=secret}: the fields of one credential (a password may hold '='). */
    private static Map<String, String> fields(String key, String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Invalid credential property " + key
                        + ": expected [iterations=N,password=...] or [password=...]");
            }
            fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return fields;
    }
}
