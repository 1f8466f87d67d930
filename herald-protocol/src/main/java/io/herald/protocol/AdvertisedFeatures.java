package io.herald.protocol;

import java.util.Map;

/**
 * The features a node reports in ApiVersions (v3+): what it supports, as a level range per feature, and the cluster's
 * finalized levels with the metadata offset they were read at. Admin's describeFeatures reads exactly this.
 */
public record AdvertisedFeatures(Map<String, Range> supported, Map<String, Short> finalized, long epoch) {
    /** An inclusive range of feature levels. */
    public record Range(short min, short max) {}

    public static final AdvertisedFeatures NONE = new AdvertisedFeatures(Map.of(), Map.of(), -1);

    public AdvertisedFeatures {
        supported = Map.copyOf(supported);
        finalized = Map.copyOf(finalized);
    }
}
