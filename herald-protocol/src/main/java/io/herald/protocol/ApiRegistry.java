package io.herald.protocol;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs one listener serves: for each key the version range Herald really implements and the handler. ApiVersions
 * advertises exactly this table, so it grows as capabilities land.
 */
public final class ApiRegistry {
    /** One served API: its version range and handler. */
    public record Entry(
            ApiKeys key, short minVersion, short maxVersion, short advertisedMinVersion, ApiHandler handler) {
        public boolean supports(short version) {
            return version >= minVersion && version <= maxVersion;
        }
    }

    private final Map<ApiKeys, Entry> entries;

    private ApiRegistry(Map<ApiKeys, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new EnumMap<>(entries));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Entry> lookup(ApiKeys key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The api_keys array of an ApiVersions response. */
    public ApiVersionCollection apiVersions() {
        ApiVersionCollection collection = new ApiVersionCollection(entries.size());
        for (Entry entry : entries.values()) {
            collection.add(new ApiVersion()
                    .setApiKey(entry.key().id)
                    .setMinVersion(entry.advertisedMinVersion())
                    .setMaxVersion(entry.maxVersion()));
        }
        return collection;
    }

    /** The same APIs with each handler passed through {@code wrap} (e.g. to put a check in front of it). */
    public ApiRegistry wrapped(java.util.function.BiFunction<ApiKeys, ApiHandler, ApiHandler> wrap) {
        Map<ApiKeys, Entry> wrappedEntries = new EnumMap<>(ApiKeys.class);
        entries.forEach((key, e) -> wrappedEntries.put(
                key,
                new Entry(
                        key, e.minVersion(), e.maxVersion(), e.advertisedMinVersion(), wrap.apply(key, e.handler()))));
        return new ApiRegistry(wrappedEntries);
    }

    /** Collects the served APIs; each range must lie within what kafka-clients can parse. */
    public static final class Builder {
        private final Map<ApiKeys, Entry> entries = new EnumMap<>(ApiKeys.class);

        public Builder register(ApiKeys key, int minVersion, int maxVersion, ApiHandler handler) {
            return register(key, minVersion, maxVersion, minVersion, handler);
        }

        /**
         * Registers an API whose advertised minimum is below what is served: Kafka advertises Produce from v0 for
         * librdkafka (KAFKA-18659) while rejecting v0-2.
         */
        public Builder register(ApiKeys key, int minVersion, int maxVersion, int advertisedMin, ApiHandler handler) {
            if (minVersion < key.oldestVersion() || maxVersion > key.latestVersion(true) || minVersion > maxVersion) {
                throw new IllegalArgumentException("versions " + minVersion + ".." + maxVersion + " of " + key
                        + " are outside " + key.oldestVersion() + ".." + key.latestVersion(true));
            }
            if (entries.putIfAbsent(
                            key, new Entry(key, (short) minVersion, (short) maxVersion, (short) advertisedMin, handler))
                    != null) {
                throw new IllegalArgumentException(key + " registered twice");
            }
            return this;
        }

        public ApiRegistry build() {
            return new ApiRegistry(entries);
        }
    }
}
