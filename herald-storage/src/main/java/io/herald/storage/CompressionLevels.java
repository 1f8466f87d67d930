package io.herald.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;

/**
 * A topic's {@code compression.gzip.level}, {@code compression.lz4.level} and {@code compression.zstd.level}: the
 * levels used when an append recompresses batches into the topic's {@code compression.type}.
 */
public record CompressionLevels(int gzip, int lz4, int zstd) {
    public static final String GZIP_LEVEL = "compression.gzip.level";
    public static final String LZ4_LEVEL = "compression.lz4.level";
    public static final String ZSTD_LEVEL = "compression.zstd.level";

    /** Kafka's documented defaults: gzip -1 (the codec's default), lz4 9, zstd 3. */
    public static final CompressionLevels DEFAULTS = new CompressionLevels(-1, 9, 3);

    /** The compression to write {@code codec} with at this topic's level. */
    public Compression compression(CompressionType codec) {
        return switch (codec) {
            case GZIP -> Compression.gzip().level(gzip).build();
            case LZ4 -> Compression.lz4().level(lz4).build();
            case ZSTD -> Compression.zstd().level(zstd).build();
            default -> Compression.of(codec).build();
        };
    }
}
