package io.herald.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.ClientQuotas;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metrics.HeraldMetrics;
import io.herald.protocol.ConnectionInfo;
import io.herald.protocol.RequestContext;
import io.herald.protocol.RequestThrottle;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClientQuotaEnforcerTest {
    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final AtomicReference<ClientQuotas> quotas = new AtomicReference<>(ClientQuotas.EMPTY);
    private final ClientQuotaEnforcer enforcer =
            new ClientQuotaEnforcer(quotas::get, 2, 1_000, HeraldMetrics.disabled(), nowMs::get);

    @Test
    void aProducerOverItsByteRateIsThrottledUntilItsRateIsBackAtTheQuota() {
        setQuotas(quota("client-id", "app", "producer_byte_rate", 1_000));
        // Within the first window the rate is bytes over one window: 1000 bytes are at the quota, 3000 twice over it.
        assertThat(produce("app", 1_000)).isZero();
        int throttleMs = produce("app", 2_000);
        assertThat(throttleMs).isEqualTo(2_000);
        assertThat(enforcer.measuredRate(ClientQuotaEnforcer.QuotaType.PRODUCE, "", "app"))
                .isEqualTo(3_000.0);
    }

    @Test
    void clientsWithoutAQuotaAndFollowerFetchesAreNeverThrottled() {
        setQuotas(
                quota("client-id", "app", "producer_byte_rate", 10),
                quota("client-id", "app", "consumer_byte_rate", 10));
        assertThat(produce("other", 1_000_000)).isZero();
        assertThat(fetch("app", 1, 1_000_000)).isZero();
        assertThat(fetch("app", -1, 1_000_000)).isPositive();
    }

    @Test
    void aConsumerIsThrottledByTheBytesItWasSent() {
        setQuotas(quota("user", "ANONYMOUS", "consumer_byte_rate", 1_000));
        assertThat(fetch("any", -1, 500)).isZero();
        assertThat(fetch("other", -1, 1_500)).isEqualTo(1_000);
        assertThat(enforcer.measuredRate(ClientQuotaEnforcer.QuotaType.FETCH, "ANONYMOUS", ""))
                .isEqualTo(2_000.0);
    }

    @Test
    void requestPercentageCountsHandlerTime() {
        setQuotas(quota("client-id", "app", "request_percentage", 10));
        // 100 ms of handler time in a one-second window is 10% of a thread: at the quota, not over it.
        assertThat(use("app", new RequestThrottle.Use(100, 100, TimeUnit.MILLISECONDS.toNanos(100))))
                .isZero();
        assertThat(use("app", new RequestThrottle.Use(100, 100, TimeUnit.MILLISECONDS.toNanos(100))))
                .isEqualTo(1_000);
    }

    @Test
    void aQuotaChangeAppliesToTheNextRequest() {
        setQuotas(quota("client-id", "app", "producer_byte_rate", 1_000));
        assertThat(produce("app", 5_000)).isPositive();
        setQuotas(quota("client-id", "app", "producer_byte_rate", 1_000_000));
        assertThat(produce("app", 1)).isZero();
        setQuotas();
        assertThat(produce("app", 1_000_000)).isZero();
    }

    private int produce(String clientId, int bytes) {
        AbstractRequest request = ProduceRequest.builder(new ProduceRequestData().setAcks((short) 1))
                .build(ApiKeys.PRODUCE.latestVersion());
        return enforcer.throttleMs(context(ApiKeys.PRODUCE, clientId), request, new RequestThrottle.Use(bytes, 50, 0));
    }

    private int fetch(String clientId, int replicaId, long responseBytes) {
        FetchRequestData data = new FetchRequestData().setReplicaId(replicaId);
        if (replicaId >= 0) {
            data.setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(replicaId));
        }
        AbstractRequest request = new FetchRequest(data, (short) 12);
        return enforcer.throttleMs(
                context(ApiKeys.FETCH, clientId), request, new RequestThrottle.Use(100, responseBytes, 0));
    }

    private int use(String clientId, RequestThrottle.Use use) {
        AbstractRequest request = new FetchRequest(new FetchRequestData().setReplicaId(-1), (short) 12);
        return enforcer.throttleMs(context(ApiKeys.METADATA, clientId), request, use);
    }

    private static RequestContext context(ApiKeys api, String clientId) {
        return new RequestContext(
                new RequestHeader(api, api.latestVersion(), clientId, 1),
                new ConnectionInfo(
                        "PLAINTEXT",
                        InetAddress.getLoopbackAddress(),
                        "c1",
                        KafkaPrincipal.ANONYMOUS,
                        SecurityProtocol.PLAINTEXT),
                0);
    }

    private static MetadataRecord.ClientQuota quota(String type, String name, String key, double value) {
        return new MetadataRecord.ClientQuota(Map.of(type, name), key, value);
    }

    private void setQuotas(MetadataRecord.ClientQuota... records) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        List.of(records).forEach(delta::replay);
        quotas.set(delta.apply(1).clientQuotas());
    }
}
