package io.herald.protocol;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;

/**
 * The feature fields of an ApiVersions answer (v3+, KIP-584), which Admin.describeFeatures reads: the supported
 * ranges and the finalized levels of the node's current metadata, with an epoch that grows with it. As Kafka 4.x, a
 * v3 answer leaves out supported features whose minimum is 0, which older clients cannot parse.
 */
public final class FeatureAdvertiser implements BiConsumer<Short, ApiVersionsResponseData> {
    private static final short FIRST_VERSION_WITH_FEATURES = 3;
    private static final short FIRST_VERSION_WITH_MIN_ZERO = 4;

    /** What a node advertises: supported ranges ({min, max}), finalized levels, and their epoch. */
    public record Snapshot(Map<String, short[]> supported, Map<String, Short> finalized, long epoch) {}

    private final Supplier<Snapshot> snapshot;

    public FeatureAdvertiser(Supplier<Snapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public void accept(Short version, ApiVersionsResponseData response) {
        if (version < FIRST_VERSION_WITH_FEATURES) {
            return;
        }
        Snapshot current = snapshot.get();
        current.supported().forEach((name, range) -> {
            if (range[0] == 0 && version < FIRST_VERSION_WITH_MIN_ZERO) {
                return;
            }
            response.supportedFeatures()
                    .add(new SupportedFeatureKey()
                            .setName(name)
                            .setMinVersion(range[0])
                            .setMaxVersion(range[1]));
        });
        current.finalized().forEach((name, level) -> response.finalizedFeatures()
                .add(new FinalizedFeatureKey()
                        .setName(name)
                        .setMinVersionLevel(level)
                        .setMaxVersionLevel(level)));
        response.setFinalizedFeaturesEpoch(current.epoch());
    }
}
