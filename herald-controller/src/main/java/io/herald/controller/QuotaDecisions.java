package io.herald.controller;

import io.herald.common.ClientQuotaConfigs;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterClientQuotas decided against the committed image (KIP-546): each entry is validated on its own with Kafka's
 * INVALID_REQUEST messages (entity parts and combinations, keys per entity kind, integral byte rates, positive
 * values) and becomes one record per quota set or removed. Pure.
 */
final class QuotaDecisions {
    static final String USER = "user";
    static final String CLIENT_ID = "client-id";
    static final String IP = "ip";

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");

    private QuotaDecisions() {}

    static Decision<AlterClientQuotasResponseData> alter(MetadataImage image, AlterClientQuotasRequestData request) {
        AlterClientQuotasResponseData response = new AlterClientQuotasResponseData();
        List<MetadataRecord> records = new ArrayList<>();
        for (AlterClientQuotasRequestData.EntryData entry : request.entries()) {
            AlterClientQuotasResponseData.EntryData result =
                    new AlterClientQuotasResponseData.EntryData().setErrorMessage(null);
            entry.entity().forEach(part -> result.entity()
                    .add(new AlterClientQuotasResponseData.EntityData()
                            .setEntityType(part.entityType())
                            .setEntityName(part.entityName())));
            try {
                Map<String, String> entity = entity(entry.entity());
                List<MetadataRecord> entryRecords = new ArrayList<>();
                for (AlterClientQuotasRequestData.OpData op : entry.ops()) {
                    validateOp(entity, op);
                    entryRecords.add(new MetadataRecord.ClientQuota(entity, op.key(), op.remove() ? null : op.value()));
                }
                records.addAll(entryRecords);
            } catch (InvalidRequestException e) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage());
            }
            response.entries().add(result);
        }
        return request.validateOnly() ? Decision.answer(response) : new Decision<>(records, response);
    }

    private static Map<String, String> entity(List<AlterClientQuotasRequestData.EntityData> parts) {
        if (parts.isEmpty()) {
            throw new InvalidRequestException("Invalid empty client quota entity");
        }
        Map<String, String> entity = new HashMap<>();
        for (AlterClientQuotasRequestData.EntityData part : parts) {
            String type = part.entityType();
            if (!type.equals(USER) && !type.equals(CLIENT_ID) && !type.equals(IP)) {
                throw new InvalidRequestException("Unhandled client quota entity type: " + type);
            }
            if (entity.containsKey(type)) {
                throw new InvalidRequestException("Duplicate " + type + " entity.");
            }
            entity.put(type, part.entityName());
        }
        if (entity.containsKey(IP) && entity.size() > 1) {
            throw new InvalidRequestException(
                    "Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId");
        }
        String ip = entity.get(IP);
        if (entity.containsKey(IP) && ip != null && !isIpLiteral(ip)) {
            throw new InvalidRequestException(ip + " is not a valid IP or resolvable host.");
        }
        return entity;
    }

    private static void validateOp(Map<String, String> entity, AlterClientQuotasRequestData.OpData op) {
        String key = op.key();
        boolean known =
                (entity.containsKey(IP) ? ClientQuotaConfigs.ipKeys() : ClientQuotaConfigs.clientKeys()).contains(key);
        if (!known) {
            throw new InvalidRequestException("Invalid configuration key " + key);
        }
        if (op.remove()) {
            return;
        }
        if (ClientQuotaConfigs.definition(key).orElseThrow().integral() && op.value() != Math.floor(op.value())) {
            throw new InvalidRequestException(key + " cannot be a fractional value.");
        }
        if (!(op.value() > 0)) {
            throw new InvalidRequestException("Quota " + key + " must be greater than 0");
        }
    }

    /** IP literals only: resolving host names would block the controller thread on DNS. */
    private static boolean isIpLiteral(String ip) {
        if (IPV4.matcher(ip).matches()) {
            for (String octet : ip.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!ip.contains(":")) {
            return false;
        }
        try {
            // A literal with a colon is parsed as IPv6 without any name lookup.
            InetAddress.getByName(ip);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
