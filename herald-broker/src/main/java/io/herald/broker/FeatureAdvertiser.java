package io.herald.broker;

import io.herald.metadata.Features;
import io.herald.metadata.MetadataImage;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;

/**
 * The feature fields of a broker's ApiVersions answer (v3+), which Admin.describeFeatures reads: the supported ranges
 * and the finalized levels of the broker's current image, with the image offset as the finalized-features epoch.
 * As Kafka 4.x, a v3 answer leaves out supported features whose minimum is 0, which older clients cannot parse.
 */
final class FeatureAdvertiser implements BiConsumer<Short, ApiVersionsResponseData> {
    private static final short FIRST_VERSION_WITH_FEATURES = 3;
    private static final short FIRST_VERSION_WITH_MIN_ZERO = 4;

    private final MetadataCache cache;

    FeatureAdvertiser(MetadataCache cache) {
        this.cache = cache;
    }

    @Override
    public void accept(Short version, ApiVersionsResponseData response) {
        if (version < FIRST_VERSION_WITH_FEATURES) {
            return;
        }
        for (Map.Entry<String, Features.Range> feature : Features.supported().entrySet()) {
            if (feature.getValue().min() == 0 && version < FIRST_VERSION_WITH_MIN_ZERO) {
                continue;
            }
            response.supportedFeatures()
                    .add(new SupportedFeatureKey()
                            .setName(feature.getKey())
                            .setMinVersion(feature.getValue().min())
                            .setMaxVersion(feature.getValue().max()));
        }
        MetadataImage image = cache.image();
        Features.finalized(image).forEach((name, level) -> response.finalizedFeatures()
                .add(new FinalizedFeatureKey()
                        .setName(name)
                        .setMinVersionLevel(level)
                        .setMaxVersionLevel(level)));
        response.setFinalizedFeaturesEpoch(Math.max(0, image.offset()));
    }
}
