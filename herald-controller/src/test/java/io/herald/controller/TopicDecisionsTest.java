package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TopicDecisionsTest {
    private static MetadataImage cluster(int brokers) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        for (int id = 1; id <= brokers; id++) {
            delta.replay(new MetadataRecord.RegisterBroker(id, Uuid.randomUuid(), id, List.of(), null));
            delta.replay(new MetadataRecord.BrokerFencing(id, id, false));
        }
        return delta.apply(brokers);
    }

    private static MetadataImage apply(MetadataImage image, Decision<?> decision) {
        MetadataDelta delta = new MetadataDelta(image);
        decision.records().forEach(delta::replay);
        return delta.apply(image.offset() + 1);
    }

    private static CreateTopicsRequestData request(CreatableTopic... topics) {
        CreateTopicsRequestData data = new CreateTopicsRequestData();
        for (CreatableTopic topic : topics) {
            data.topics().add(topic);
        }
        return data;
    }

    @Test
    void createPlacesReplicasOverLiveBrokersWithDefaults() {
        Decision<CreateTopicsResponseData> decision = TopicDecisions.create(
                cluster(3),
                request(new CreatableTopic().setName("t").setNumPartitions(-1).setReplicationFactor((short) -1)),
                6,
                (short) 3);
        MetadataImage after = apply(cluster(3), decision);
        assertThat(after.topic("t").orElseThrow().partitions()).hasSize(6);
        assertThat(after.topic("t").orElseThrow().partitions().values()).allSatisfy(p -> {
            assertThat(p.replicas()).hasSize(3).doesNotHaveDuplicates();
            assertThat(p.leader()).isEqualTo(p.replicas().get(0));
        });
        CreateTopicsResponseData.CreatableTopicResult result =
                decision.response().topics().find("t");
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.numPartitions()).isEqualTo(6);
        assertThat(result.topicId()).isEqualTo(after.topic("t").orElseThrow().id());
    }

    @Test
    void errorsAreKafkas() {
        MetadataImage image = apply(
                cluster(1),
                TopicDecisions.create(
                        cluster(1),
                        request(new CreatableTopic()
                                .setName("a.b")
                                .setNumPartitions(1)
                                .setReplicationFactor((short) 1)),
                        1,
                        (short) 1));
        Decision<CreateTopicsResponseData> decision = TopicDecisions.create(
                image,
                request(
                        new CreatableTopic().setName("a.b").setNumPartitions(1).setReplicationFactor((short) 1),
                        new CreatableTopic().setName("a_b").setNumPartitions(1).setReplicationFactor((short) 1),
                        new CreatableTopic().setName("rf").setNumPartitions(1).setReplicationFactor((short) 2),
                        new CreatableTopic().setName("dup").setNumPartitions(1).setReplicationFactor((short) 1),
                        new CreatableTopic().setName("dup").setNumPartitions(1).setReplicationFactor((short) 1)),
                1,
                (short) 1);
        CreateTopicsResponseData response = decision.response();
        assertThat(response.topics().find("a.b").errorCode()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS.code());
        assertThat(response.topics().find("a_b").errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code());
        assertThat(response.topics().find("rf").errorCode()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
        assertThat(response.topics().find("dup").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(decision.records()).isEmpty();
    }

    @Test
    void deleteByNameAndIdAnswersUnknownsPerTopic() {
        MetadataImage image = apply(
                cluster(1),
                TopicDecisions.create(
                        cluster(1),
                        request(new CreatableTopic()
                                .setName("x")
                                .setNumPartitions(1)
                                .setReplicationFactor((short) 1)),
                        1,
                        (short) 1));
        DeleteTopicsRequestData request = new DeleteTopicsRequestData();
        request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("x"));
        request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("nope"));
        request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setTopicId(Uuid.randomUuid()));
        var decision = TopicDecisions.delete(image, request);
        assertThat(decision.records()).hasSize(1);
        assertThat(decision.response().responses())
                .extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_TOPIC_ID);
        assertThat(apply(image, decision).topic("x")).isEmpty();
    }

    @Test
    void oversizedRequestsAreRefusedWholeAsKafkasControllerBoundsThem() {
        // More than 10,000 partitions in one request: refused before any placement, every topic alike.
        Decision<CreateTopicsResponseData> tooManyPartitions = TopicDecisions.create(
                cluster(1),
                request(
                        new CreatableTopic()
                                .setName("a")
                                .setNumPartitions(5_000)
                                .setReplicationFactor((short) 1),
                        new CreatableTopic()
                                .setName("b")
                                .setNumPartitions(5_001)
                                .setReplicationFactor((short) 1)),
                1,
                (short) 1);
        assertThat(tooManyPartitions.records()).isEmpty();
        assertThat(tooManyPartitions.response().topics()).hasSize(2).allSatisfy(t -> {
            assertThat(t.errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());
            assertThat(t.errorMessage()).isEqualTo("Excessively large number of partitions per request.");
        });
        Decision<CreateTopicsResponseData> huge = TopicDecisions.create(
                cluster(1),
                request(new CreatableTopic()
                        .setName("h")
                        .setNumPartitions(Integer.MAX_VALUE)
                        .setReplicationFactor((short) 1)),
                1,
                (short) 1);
        assertThat(huge.response().topics().find("h").errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());

        // 10,000 partitions plus the topic record is one record too many; 9,999 fit.
        Decision<CreateTopicsResponseData> tooManyRecords = TopicDecisions.create(
                cluster(1),
                request(new CreatableTopic()
                        .setName("c")
                        .setNumPartitions(10_000)
                        .setReplicationFactor((short) 1)),
                1,
                (short) 1);
        assertThat(tooManyRecords.records()).isEmpty();
        assertThat(tooManyRecords.response().topics().find("c").errorMessage())
                .isEqualTo("Unable to perform excessively large batch operation.");
        Decision<CreateTopicsResponseData> fits = TopicDecisions.create(
                cluster(1),
                request(
                        new CreatableTopic()
                                .setName("d")
                                .setNumPartitions(4_999)
                                .setReplicationFactor((short) 1),
                        new CreatableTopic()
                                .setName("e")
                                .setNumPartitions(4_999)
                                .setReplicationFactor((short) 1)),
                1,
                (short) 1);
        assertThat(fits.response().topics())
                .allSatisfy(t -> assertThat(t.errorCode()).isEqualTo(Errors.NONE.code()));
        assertThat(fits.records()).hasSize(10_000);
    }
}
