package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigAndPartitionDecisionsTest {
    private static final Uuid ID = Uuid.randomUuid();

    private static MetadataImage image(MetadataRecord... extra) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replay(new MetadataRecord.RegisterBroker(1, Uuid.randomUuid(), 1, List.of(), null));
        delta.replay(new MetadataRecord.BrokerFencing(1, 1, false));
        delta.replay(new MetadataRecord.Topic("t", ID));
        delta.replay(new MetadataRecord.Partition(ID, 0, List.of(1), List.of(1), 1, 0, 0));
        for (MetadataRecord record : extra) {
            delta.replay(record);
        }
        return delta.apply(10);
    }

    private static MetadataImage apply(MetadataImage image, Decision<?> decision) {
        MetadataDelta delta = new MetadataDelta(image);
        decision.records().forEach(delta::replay);
        return delta.apply(image.offset() + 1);
    }

    private static IncrementalAlterConfigsRequestData incremental(
            byte type, String name, String key, byte op, String value) {
        IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
        IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(type)
                        .setResourceName(name);
        resource.configs()
                .add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                        .setName(key)
                        .setConfigOperation(op)
                        .setValue(value));
        data.resources().add(resource);
        return data;
    }

    @Test
    void setAppendSubtractAndDeleteTopicConfigs() {
        MetadataImage image = image();
        image = apply(
                image, ConfigDecisions.incremental(image, incremental((byte) 2, "t", "retention.ms", (byte) 0, "5")));
        assertThat(image.configs(ConfigResourceType.TOPIC, "t")).containsEntry("retention.ms", "5");
        image = apply(
                image,
                ConfigDecisions.incremental(image, incremental((byte) 2, "t", "cleanup.policy", (byte) 2, "compact")));
        assertThat(image.configs(ConfigResourceType.TOPIC, "t")).containsEntry("cleanup.policy", "delete,compact");
        image = apply(
                image,
                ConfigDecisions.incremental(image, incremental((byte) 2, "t", "cleanup.policy", (byte) 3, "delete")));
        assertThat(image.configs(ConfigResourceType.TOPIC, "t")).containsEntry("cleanup.policy", "compact");
        image = apply(
                image, ConfigDecisions.incremental(image, incremental((byte) 2, "t", "retention.ms", (byte) 1, null)));
        assertThat(image.configs(ConfigResourceType.TOPIC, "t")).doesNotContainKey("retention.ms");
    }

    @Test
    void invalidChangesAreRefusedPerResource() {
        MetadataImage image = image();
        var unknownTopic =
                ConfigDecisions.incremental(image, incremental((byte) 2, "nope", "retention.ms", (byte) 0, "5"));
        assertThat(unknownTopic.response().responses().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        var badValue = ConfigDecisions.incremental(image, incremental((byte) 2, "t", "retention.ms", (byte) 0, "x"));
        assertThat(badValue.response().responses().get(0).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        var appendToLong =
                ConfigDecisions.incremental(image, incremental((byte) 2, "t", "retention.ms", (byte) 2, "5"));
        assertThat(appendToLong.response().responses().get(0).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
        var staticBroker = ConfigDecisions.incremental(image, incremental((byte) 4, "", "node.id", (byte) 0, "5"));
        assertThat(staticBroker.response().responses().get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(unknownTopic.records()).isEmpty();
        assertThat(badValue.records()).isEmpty();
    }

    @Test
    void dynamicBrokerValuesAreCheckedAsKafkaChecksThem() {
        MetadataImage image = image();
        for (String[] bad : new String[][] {
            {"log.cleaner.threads", "abc"}, {"log.cleaner.threads", "0"}, {"log.retention.ms", "abc"},
            {"num.io.threads", "-1"}, {"log.retention.hours", "5"}, {"log.roll.hours", "1"}
        }) {
            var refused = ConfigDecisions.incremental(image, incremental((byte) 4, "1", bad[0], (byte) 0, bad[1]));
            assertThat(refused.response().responses().get(0).errorCode())
                    .as(bad[0] + "=" + bad[1])
                    .isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(refused.records()).isEmpty();
        }
        var accepted =
                ConfigDecisions.incremental(image, incremental((byte) 4, "1", "log.cleaner.threads", (byte) 0, "2"));
        assertThat(accepted.response().responses().get(0).errorCode()).isZero();
        // Kafka leaves the message null on success (kafkajs and librdkafka show it as is).
        assertThat(accepted.response().responses().get(0).errorMessage()).isNull();
        assertThat(apply(image, accepted).configs(ConfigResourceType.BROKER, "1"))
                .containsEntry("log.cleaner.threads", "2");
    }

    @Test
    void aBrokerListConfigTakesAppendAndSubtractFromItsDefault() {
        MetadataImage image = image();
        image = apply(
                image,
                ConfigDecisions.incremental(
                        image, incremental((byte) 4, "1", "sasl.enabled.mechanisms", (byte) 2, "PLAIN")));
        assertThat(image.configs(ConfigResourceType.BROKER, "1"))
                .containsEntry("sasl.enabled.mechanisms", "GSSAPI,PLAIN");
        image = apply(
                image,
                ConfigDecisions.incremental(
                        image, incremental((byte) 4, "1", "sasl.enabled.mechanisms", (byte) 3, "GSSAPI")));
        assertThat(image.configs(ConfigResourceType.BROKER, "1")).containsEntry("sasl.enabled.mechanisms", "PLAIN");
        var appendToInt =
                ConfigDecisions.incremental(image, incremental((byte) 4, "1", "background.threads", (byte) 2, "5"));
        assertThat(appendToInt.response().responses().get(0).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code());
    }

    @Test
    void legacyAlterReplacesTheWholeSet() {
        MetadataImage image = image(new MetadataRecord.Config(ConfigResourceType.TOPIC, "t", "retention.ms", "5"));
        AlterConfigsRequestData data = new AlterConfigsRequestData();
        AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType((byte) 2)
                .setResourceName("t");
        resource.configs()
                .add(new AlterConfigsRequestData.AlterableConfig()
                        .setName("segment.ms")
                        .setValue("100"));
        data.resources().add(resource);
        MetadataImage after = apply(image, ConfigDecisions.replace(image, data));
        assertThat(after.configs(ConfigResourceType.TOPIC, "t"))
                .containsExactlyEntriesOf(java.util.Map.of("segment.ms", "100"));
    }

    @Test
    void partitionsGrowButNeverShrink() {
        MetadataImage image = image();
        CreatePartitionsRequestData grow = new CreatePartitionsRequestData();
        grow.topics()
                .add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                        .setName("t")
                        .setCount(3));
        MetadataImage after = apply(image, PartitionDecisions.create(image, grow));
        assertThat(after.topic("t").orElseThrow().partitions()).hasSize(3);

        CreatePartitionsRequestData shrink = new CreatePartitionsRequestData();
        shrink.topics()
                .add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                        .setName("t")
                        .setCount(1));
        var refused = PartitionDecisions.create(after, shrink);
        assertThat(refused.response().results().get(0).errorCode()).isEqualTo(Errors.INVALID_PARTITIONS.code());
        assertThat(refused.response().results().get(0).errorMessage()).contains("would not be an increase");
        assertThat(refused.records()).isEmpty();
    }
}
