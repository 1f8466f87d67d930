package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.Features;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData.FeatureUpdateKey;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FeatureDecisionsTest {
    private static UpdateFeaturesRequestData request(String feature, int level, byte type) {
        UpdateFeaturesRequestData data = new UpdateFeaturesRequestData();
        data.featureUpdates()
                .add(new FeatureUpdateKey()
                        .setFeature(feature)
                        .setMaxVersionLevel((short) level)
                        .setUpgradeType(type));
        return data;
    }

    private static final byte UPGRADE = FeatureUpdate.UpgradeType.UPGRADE.code();
    private static final byte SAFE_DOWNGRADE = FeatureUpdate.UpgradeType.SAFE_DOWNGRADE.code();

    private static MetadataImage apply(Decision<?> decision) {
        return apply(MetadataImage.EMPTY, decision);
    }

    private static MetadataImage apply(MetadataImage base, Decision<?> decision) {
        MetadataDelta delta = new MetadataDelta(base);
        decision.records().forEach(delta::replay);
        return delta.apply(base.offset() + 1);
    }

    @Test
    void aNewClusterRunsTheLatestMetadataVersionTheConsumerGroupProtocolAndTransactionVersionTwo() {
        assertThat(Features.finalized(MetadataImage.EMPTY))
                .containsEntry("metadata.version", (short) 27)
                .containsEntry("group.version", (short) 1)
                .containsEntry("transaction.version", (short) 2)
                .doesNotContainKey("eligible.leader.replicas.version");
    }

    @Test
    void upgradesAndDowngradesWithinTheSupportedRangeAreRecorded() {
        var downgrade =
                FeatureDecisions.update(MetadataImage.EMPTY, request("metadata.version", 25, SAFE_DOWNGRADE), 1);
        MetadataImage downgraded = apply(downgrade);
        assertThat(Features.finalized(downgraded)).containsEntry("metadata.version", (short) 25);

        var upgrade = FeatureDecisions.update(downgraded, request("metadata.version", 27, UPGRADE), 1);
        assertThat(upgrade.response().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(upgrade.records()).containsExactly(new MetadataRecord.FeatureLevel("metadata.version", (short) 27));

        var disable = FeatureDecisions.update(MetadataImage.EMPTY, request("group.version", 0, SAFE_DOWNGRADE), 1);
        assertThat(Features.finalized(apply(disable))).doesNotContainKey("group.version");
    }

    @Test
    void anInvalidUpdateFailsTheWholeRequest() {
        UpdateFeaturesRequestData data = request("group.version", 5, UPGRADE);
        data.featureUpdates()
                .add(new FeatureUpdateKey()
                        .setFeature("metadata.version")
                        .setMaxVersionLevel((short) 26)
                        .setUpgradeType(SAFE_DOWNGRADE));
        Decision<UpdateFeaturesResponseData> decision = FeatureDecisions.update(MetadataImage.EMPTY, data, 1);
        assertThat(decision.records()).isEmpty();
        assertThat(decision.response().errorCode()).isEqualTo(Errors.INVALID_UPDATE_VERSION.code());
        assertThat(decision.response().results())
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_UPDATE_VERSION.code()));
        assertThat(decision.response().errorMessage())
                .isEqualTo("The update failed for all features since the following feature had an error: Invalid"
                        + " update version 5 for feature group.version. Local controller 1 only supports versions"
                        + " 0-1");

        var downgradeAsUpgrade =
                FeatureDecisions.update(MetadataImage.EMPTY, request("metadata.version", 25, UPGRADE), 1);
        assertThat(downgradeAsUpgrade.response().errorMessage())
                .endsWith("Can't downgrade the version of this feature without setting the upgrade type to either safe"
                        + " or unsafe downgrade.");
        assertThat(downgradeAsUpgrade.response().results()).hasSize(1);

        var kraftDowngrade =
                FeatureDecisions.update(MetadataImage.EMPTY, request("kraft.version", 0, SAFE_DOWNGRADE), 1);
        assertThat(kraftDowngrade.records()).isEmpty();
        assertThat(kraftDowngrade.response().errorCode()).isEqualTo(Errors.INVALID_UPDATE_VERSION.code());
        var unknown = FeatureDecisions.update(MetadataImage.EMPTY, request("no.such.version", 1, UPGRADE), 1);
        assertThat(unknown.response().errorMessage()).contains("does not support this feature");
    }
}
