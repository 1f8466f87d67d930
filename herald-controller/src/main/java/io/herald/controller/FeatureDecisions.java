package io.herald.controller;

import io.herald.metadata.Features;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData.FeatureUpdateKey;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.message.UpdateFeaturesResponseData.UpdatableFeatureResult;
import org.apache.kafka.common.protocol.Errors;

/**
 * UpdateFeatures decided against the committed image, all or nothing as in Kafka: each level must be one this
 * controller supports (a level below 1 removes a feature, which metadata.version refuses), an upgrade may not lower
 * a level, a downgrade may not raise one, and kraft.version never goes down. Pure.
 */
final class FeatureDecisions {
    /** The quorum's own version: Kafka lets it go up (to dynamic voters) but never down. */
    private static final String KRAFT_VERSION = "kraft.version";

    private FeatureDecisions() {}

    static Decision<UpdateFeaturesResponseData> update(
            MetadataImage image, UpdateFeaturesRequestData request, int nodeId) {
        Map<String, Short> finalized = Features.finalized(image);
        List<MetadataRecord> records = new ArrayList<>();
        String failure = null;
        for (FeatureUpdateKey update : request.featureUpdates()) {
            String problem = problem(update, finalized.getOrDefault(update.feature(), (short) 0), nodeId);
            if (problem != null && failure == null) {
                failure = problem;
            }
            records.add(
                    new MetadataRecord.FeatureLevel(update.feature(), (short) Math.max(0, update.maxVersionLevel())));
        }
        UpdateFeaturesResponseData response = new UpdateFeaturesResponseData();
        Errors error = failure == null ? Errors.NONE : Errors.INVALID_UPDATE_VERSION;
        String message = failure == null
                ? null
                : "The update failed for all features since the following feature had an error: " + failure;
        response.setErrorCode(error.code()).setErrorMessage(message);
        for (FeatureUpdateKey update : request.featureUpdates()) {
            response.results()
                    .add(new UpdatableFeatureResult()
                            .setFeature(update.feature())
                            .setErrorCode(error.code())
                            .setErrorMessage(message));
        }
        if (failure != null || request.validateOnly()) {
            return Decision.answer(response);
        }
        return new Decision<>(records, response);
    }

    private static String problem(FeatureUpdateKey update, short current, int nodeId) {
        String prefix = "Invalid update version " + update.maxVersionLevel() + " for feature " + update.feature() + ".";
        Features.Range range = Features.supported().get(update.feature());
        if (range == null) {
            return prefix + " Local controller " + nodeId + " does not support this feature.";
        }
        short level = (short) Math.max(0, update.maxVersionLevel());
        if (level < range.min() || level > range.max()) {
            return prefix + " Local controller " + nodeId + " only supports versions " + range.min() + "-"
                    + range.max();
        }
        // v0 had a downgrade flag where v1+ has a type; an absent type means an upgrade.
        FeatureUpdate.UpgradeType type = update.allowDowngrade()
                ? FeatureUpdate.UpgradeType.SAFE_DOWNGRADE
                : FeatureUpdate.UpgradeType.fromCode(update.upgradeType());
        if (update.feature().equals(KRAFT_VERSION) && level < current) {
            return prefix + " Can't downgrade the version of this feature.";
        }
        if (type == FeatureUpdate.UpgradeType.UPGRADE && level < current) {
            return prefix + " Can't downgrade the version of this feature without setting the upgrade type to either"
                    + " safe or unsafe downgrade.";
        }
        if (type != FeatureUpdate.UpgradeType.UPGRADE && level > current) {
            return prefix + " A downgrade cannot raise the level.";
        }
        return null;
    }
}
