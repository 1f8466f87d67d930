package io.herald.tools.apiversions;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Renders a broker's API versions the way {@code kafka-broker-api-versions.sh} does: one line per API, by id, with the
 * range the broker supports and the newest version this client would use, and {@code UNSUPPORTED} for client APIs
 * the broker lacks.
 */
public final class ApiVersionsPrinter {
    private ApiVersionsPrinter() {}

    /** The text after {@code "<node> -> "}: {@code (}, one tab-indented line per API, then {@code )}. */
    public static String render(Collection<ApiVersion> versions) {
        Map<Integer, String> lines = new TreeMap<>();
        for (ApiVersion v : versions) {
            lines.put((int) v.apiKey(), line(v));
        }
        for (ApiKeys key : ApiKeys.clientApis()) {
            lines.putIfAbsent((int) key.id, key.name + "(" + key.id + "): UNSUPPORTED");
        }
        return "(\n\t" + String.join(",\n\t", lines.values()) + "\n)";
    }

    private static String line(ApiVersion v) {
        ApiKeys key = ApiKeys.hasId(v.apiKey()) ? ApiKeys.forId(v.apiKey()) : null;
        var text = new StringBuilder();
        text.append(key == null ? "UNKNOWN" : key.name)
                .append('(')
                .append(v.apiKey())
                .append("): ");
        text.append(
                v.minVersion() == v.maxVersion()
                        ? String.valueOf(v.minVersion())
                        : v.minVersion() + " to " + v.maxVersion());
        if (key != null) {
            if (key.latestVersion() < v.minVersion()) {
                text.append(" [unusable: node too new]");
            } else if (v.maxVersion() < key.oldestVersion()) {
                text.append(" [unusable: node too old]");
            } else {
                text.append(" [usable: ")
                        .append(Math.min(key.latestVersion(), v.maxVersion()))
                        .append(']');
            }
        }
        return text.toString();
    }
}
