package io.herald.controller;

import io.herald.metadata.Features;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * UpdateFeatures: checks every requested level against the supported range and the upgrade type, then finalizes them
 * all or none, as KRaft does. Herald's metadata records do not depend on metadata.version, so it may move either way.
 */
final class FeatureDecisions {
    static final byte UPGRADE = 1;
    static final byte SAFE_DOWNGRADE = 2;
    static final byte UNSAFE_DOWNGRADE = 3;

    private FeatureDecisions() {}

    static Decision<UpdateFeaturesResponseData> update(
            MetadataImage image, UpdateFeaturesRequestData request, short version, int nodeId) {
        List<MetadataRecord> records = new ArrayList<>();
        var finalized = Features.finalized(image);
        for (UpdateFeaturesRequestData.FeatureUpdateKey update : request.featureUpdates()) {
            String name = update.feature();
            short level = update.maxVersionLevel();
            byte type = version == 0 ? (update.allowDowngrade() ? SAFE_DOWNGRADE : UPGRADE) : update.upgradeType();
            short current = finalized.getOrDefault(name, (short) 0);
            String error = check(name, level, current, type, nodeId);
            if (error != null) {
                return Decision.answer(failed(request, version, error));
            }
            if (level != current) {
                records.add(new MetadataRecord.FeatureLevel(name, level));
            }
        }
        UpdateFeaturesResponseData response = new UpdateFeaturesResponseData().setErrorCode(Errors.NONE.code());
        for (UpdateFeaturesRequestData.FeatureUpdateKey update : request.featureUpdates()) {
            response.results()
                    .add(new UpdateFeaturesResponseData.UpdatableFeatureResult()
                            .setFeature(update.feature())
                            .setErrorCode(Errors.NONE.code()));
        }
        return new Decision<>(request.validateOnly() ? List.of() : records, response);
    }

    /** Why a level cannot be finalized, or null when it can. */
    private static String check(String name, short level, short current, byte type, int nodeId) {
        Features.Range range = Features.supportedFeatures().get(name);
        if (type < UPGRADE || type > UNSAFE_DOWNGRADE) {
            return "Unknown upgrade type " + type + " for feature " + name + ".";
        }
        if (range == null) {
            return "Invalid update version " + level + " for feature " + name + ". Local controller " + nodeId
                    + " does not support this feature.";
        }
        if (!range.contains(level)) {
            return "Invalid update version " + level + " for feature " + name + ". Local controller " + nodeId
                    + " only supports versions " + range.min() + "-" + range.max();
        }
        if (level < current && type == UPGRADE) {
            return "Can't downgrade the version of this feature without setting the upgrade type to either safe or"
                    + " unsafe downgrade.";
        }
        if (level > current && type != UPGRADE) {
            return "Can't downgrade to a newer version.";
        }
        return null;
    }

    private static UpdateFeaturesResponseData failed(UpdateFeaturesRequestData request, short version, String message) {
        String all = "The update failed for all features since the following feature had an error: " + message;
        UpdateFeaturesResponseData response = new UpdateFeaturesResponseData()
                .setErrorCode(Errors.INVALID_UPDATE_VERSION.code())
                .setErrorMessage(all);
        if (version < 2) {
            // Before v2 every feature carries its own result; the failure is the request's, so each gets it.
            for (UpdateFeaturesRequestData.FeatureUpdateKey update : request.featureUpdates()) {
                response.results()
                        .add(new UpdateFeaturesResponseData.UpdatableFeatureResult()
                                .setFeature(update.feature())
                                .setErrorCode(Errors.INVALID_UPDATE_VERSION.code())
                                .setErrorMessage(all));
            }
        }
        return response;
    }
}
