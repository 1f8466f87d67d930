package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClientQuotasTest {
    private static final String KEY = "producer_byte_rate";

    /** The eight levels from most to least specific, each an entity and the tags its clients share a quota under. */
    private static final List<Level> LEVELS = List.of(
            new Level(entity("alice", "app", true, true), "alice", "app"),
            new Level(entity("alice", null, true, true), "alice", "app"),
            new Level(entity("alice", null, true, false), "alice", ""),
            new Level(entity(null, "app", true, true), "alice", "app"),
            new Level(entity(null, null, true, true), "alice", "app"),
            new Level(entity(null, null, true, false), "alice", ""),
            new Level(entity(null, "app", false, true), "", "app"),
            new Level(entity(null, null, false, true), "", "app"));

    private record Level(Map<String, String> entity, String userTag, String clientIdTag) {}

    @Test
    void eachLevelWinsOverEveryLessSpecificOne() {
        for (int winner = 0; winner < LEVELS.size(); winner++) {
            ClientQuotas quotas = ClientQuotas.EMPTY;
            for (int level = winner; level < LEVELS.size(); level++) {
                quotas = quotas.with(quota(LEVELS.get(level).entity(), 1000.0 + level));
            }
            Optional<ClientQuotas.Applied> applied = quotas.resolve("alice", "app", KEY);
            assertThat(applied)
                    .as("level %d", winner + 1)
                    .contains(new ClientQuotas.Applied(
                            1000.0 + winner,
                            LEVELS.get(winner).userTag(),
                            LEVELS.get(winner).clientIdTag()));
        }
    }

    @Test
    void quotasOfOtherClientsOtherKeysAndIpsDoNotApply() {
        ClientQuotas quotas = ClientQuotas.EMPTY
                .with(quota(entity("bob", "app", true, true), 1.0))
                .with(quota(entity("alice", "other", true, true), 2.0))
                .with(quota(entity(null, "other", false, true), 3.0))
                .with(new MetadataRecord.ClientQuota(entity("alice", null, true, false), "consumer_byte_rate", 4.0))
                .with(new MetadataRecord.ClientQuota(Map.of("ip", "127.0.0.1"), "connection_creation_rate", 5.0));
        assertThat(quotas.resolve("alice", "app", KEY)).isEmpty();
        assertThat(quotas.resolve("alice", "app", "consumer_byte_rate"))
                .contains(new ClientQuotas.Applied(4.0, "alice", ""));
    }

    @Test
    void ipQuotaFallsBackToTheDefaultIp() {
        Map<String, String> defaultIp = new HashMap<>();
        defaultIp.put("ip", null);
        ClientQuotas quotas = ClientQuotas.EMPTY
                .with(new MetadataRecord.ClientQuota(Map.of("ip", "10.0.0.1"), "connection_creation_rate", 5.0))
                .with(new MetadataRecord.ClientQuota(defaultIp, "connection_creation_rate", 50.0));
        assertThat(quotas.resolveIp("10.0.0.1", "connection_creation_rate")).hasValue(5.0);
        assertThat(quotas.resolveIp("10.0.0.2", "connection_creation_rate")).hasValue(50.0);
        assertThat(ClientQuotas.EMPTY.resolveIp("10.0.0.2", "connection_creation_rate"))
                .isEmpty();
    }

    private static MetadataRecord.ClientQuota quota(Map<String, String> entity, double value) {
        return new MetadataRecord.ClientQuota(entity, KEY, value);
    }

    private static Map<String, String> entity(String user, String clientId, boolean hasUser, boolean hasClient) {
        Map<String, String> entity = new HashMap<>();
        if (hasUser) {
            entity.put("user", user);
        }
        if (hasClient) {
            entity.put("client-id", clientId);
        }
        return entity;
    }
}
