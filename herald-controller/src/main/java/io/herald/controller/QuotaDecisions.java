package io.herald.controller;

import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterClientQuotas: quotas of users, client ids (alone or together) and IP addresses, by Kafka's quota keys. They are
 * stored and described; Herald does not throttle yet. Each entity is checked on its own; valid ones are applied.
 */
final class QuotaDecisions {
    static final String USER = "user";
    static final String CLIENT_ID = "client-id";
    static final String IP = "ip";
    private static final Set<String> CLIENT_KEYS =
            Set.of("producer_byte_rate", "consumer_byte_rate", "request_percentage", "controller_mutation_rate");
    private static final Set<String> IP_KEYS = Set.of("connection_creation_rate");

    private QuotaDecisions() {}

    static Decision<AlterClientQuotasResponseData> alter(MetadataImage image, AlterClientQuotasRequestData request) {
        List<MetadataRecord> records = new ArrayList<>();
        AlterClientQuotasResponseData response = new AlterClientQuotasResponseData();
        for (AlterClientQuotasRequestData.EntryData entry : request.entries()) {
            Map<String, String> entity = new HashMap<>();
            var responseEntity = new ArrayList<AlterClientQuotasResponseData.EntityData>();
            String error = null;
            for (AlterClientQuotasRequestData.EntityData part : entry.entity()) {
                responseEntity.add(new AlterClientQuotasResponseData.EntityData()
                        .setEntityType(part.entityType())
                        .setEntityName(part.entityName()));
                if (entity.containsKey(part.entityType())) {
                    error = "Duplicate " + part.entityType() + " in the quota entity.";
                }
                entity.put(part.entityType(), part.entityName());
            }
            if (error == null) {
                error = check(entity, entry.ops());
            }
            var result = new AlterClientQuotasResponseData.EntryData().setEntity(responseEntity);
            if (error != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(error);
            } else {
                for (AlterClientQuotasRequestData.OpData op : entry.ops()) {
                    records.add(new MetadataRecord.ClientQuota(entity, op.key(), op.remove() ? null : op.value()));
                }
            }
            response.entries().add(result);
        }
        return new Decision<>(request.validateOnly() ? List.of() : records, response);
    }

    /** Why these operations on this entity are refused, or null. */
    private static String check(Map<String, String> entity, List<AlterClientQuotasRequestData.OpData> ops) {
        boolean ip = entity.containsKey(IP);
        if (entity.isEmpty()
                || (ip && entity.size() > 1)
                || (!ip && !entity.keySet().stream().allMatch(t -> t.equals(USER) || t.equals(CLIENT_ID)))) {
            return "Invalid quota entity " + entity + ": the entity types are user and client-id (alone or"
                    + " together) or ip.";
        }
        if (ip && entity.get(IP) != null && !entity.get(IP).matches("[0-9a-fA-F:.]+")) {
            return entity.get(IP) + " is not a valid IP or resolvable host.";
        }
        Set<String> keys = ip ? IP_KEYS : CLIENT_KEYS;
        for (AlterClientQuotasRequestData.OpData op : ops) {
            if (!keys.contains(op.key())) {
                return "Invalid configuration key " + op.key() + " for " + (ip ? "ip" : "user or client-id")
                        + " quotas.";
            }
            if (!op.remove() && (Double.isNaN(op.value()) || op.value() <= 0)) {
                return "Quota " + op.key() + " must be greater than 0";
            }
        }
        return null;
    }
}
