package io.herald.metadata;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The SCRAM credentials of the cluster's users (KIP-554), immutable: user to mechanism code to credential. */
public final class ScramCredentials {
    public static final ScramCredentials EMPTY = new ScramCredentials(Map.of());

    private final Map<String, Map<Byte, MetadataRecord.ScramCredential>> byUser;

    private ScramCredentials(Map<String, Map<Byte, MetadataRecord.ScramCredential>> byUser) {
        this.byUser = Collections.unmodifiableMap(byUser);
    }

    public Map<String, Map<Byte, MetadataRecord.ScramCredential>> byUser() {
        return byUser;
    }

    ScramCredentials with(MetadataRecord.ScramCredential credential) {
        return change(credential.user(), credential.mechanism(), credential);
    }

    ScramCredentials without(MetadataRecord.RemoveScramCredential removal) {
        return change(removal.user(), removal.mechanism(), null);
    }

    private ScramCredentials change(String user, byte mechanism, MetadataRecord.ScramCredential credential) {
        Map<String, Map<Byte, MetadataRecord.ScramCredential>> next = new HashMap<>(byUser);
        Map<Byte, MetadataRecord.ScramCredential> mechanisms = new TreeMap<>(next.getOrDefault(user, Map.of()));
        if (credential == null) {
            mechanisms.remove(mechanism);
        } else {
            mechanisms.put(mechanism, credential);
        }
        if (mechanisms.isEmpty()) {
            next.remove(user);
        } else {
            next.put(user, Collections.unmodifiableMap(mechanisms));
        }
        return new ScramCredentials(next);
    }
}
