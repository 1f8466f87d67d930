package io.herald.controller;

import io.herald.metadata.BrokerEndpoint;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Broker membership decisions: registration (a new broker epoch, starting fenced), heartbeats (unfence once caught up
 * with the metadata log, fence on request or controlled shutdown) and session expiry. Pure apart from the heartbeat
 * clock, which the caller passes in.
 */
final class BrokerDecisions {
    private BrokerDecisions() {}

    static Decision<BrokerRegistrationResponseData> register(
            MetadataImage image,
            BrokerRegistrationRequestData request,
            String clusterId,
            BrokerHeartbeats heartbeats,
            long nowNanos) {
        if (!clusterId.equals(request.clusterId())) {
            return Decision.answer(
                    new BrokerRegistrationResponseData().setErrorCode(Errors.INCONSISTENT_CLUSTER_ID.code()));
        }
        BrokerRegistration existing = image.brokers().get(request.brokerId());
        if (existing != null
                && !existing.incarnationId().equals(request.incarnationId())
                && !existing.fenced()
                && heartbeats.alive(request.brokerId(), nowNanos)) {
            return Decision.answer(
                    new BrokerRegistrationResponseData().setErrorCode(Errors.DUPLICATE_BROKER_REGISTRATION.code()));
        }
        if (existing != null && existing.incarnationId().equals(request.incarnationId())) {
            // A retried registration of the same process: answer with the epoch it already has.
            heartbeats.touch(request.brokerId(), nowNanos);
            return Decision.answer(new BrokerRegistrationResponseData().setBrokerEpoch(existing.epoch()));
        }
        long epoch = image.offset() + 1;
        List<BrokerEndpoint> endpoints = new ArrayList<>();
        request.listeners()
                .forEach(l -> endpoints.add(new BrokerEndpoint(
                        l.name(),
                        l.host(),
                        l.port(),
                        org.apache.kafka.common.security.auth.SecurityProtocol.forId(l.securityProtocol()).name)));
        heartbeats.touch(request.brokerId(), nowNanos);
        return new Decision<>(
                List.of(new MetadataRecord.RegisterBroker(
                        request.brokerId(), request.incarnationId(), epoch, endpoints, request.rack())),
                new BrokerRegistrationResponseData().setBrokerEpoch(epoch));
    }

    static Decision<BrokerHeartbeatResponseData> heartbeat(
            MetadataImage image, BrokerHeartbeatRequestData request, BrokerHeartbeats heartbeats, long nowNanos) {
        BrokerRegistration broker = image.brokers().get(request.brokerId());
        if (broker == null) {
            return Decision.answer(
                    new BrokerHeartbeatResponseData().setErrorCode(Errors.BROKER_ID_NOT_REGISTERED.code()));
        }
        if (broker.epoch() != request.brokerEpoch()) {
            return Decision.answer(new BrokerHeartbeatResponseData().setErrorCode(Errors.STALE_BROKER_EPOCH.code()));
        }
        heartbeats.touch(request.brokerId(), nowNanos);
        heartbeats.progress(request.brokerId(), request.currentMetadataOffset(), System.currentTimeMillis());
        boolean caughtUp = request.currentMetadataOffset() >= broker.epoch();
        boolean fence = request.wantFence() || request.wantShutDown();
        boolean fenced = broker.fenced();
        List<MetadataRecord> records = new ArrayList<>();
        if (fenced && !fence && caughtUp) {
            records.add(new MetadataRecord.BrokerFencing(broker.id(), broker.epoch(), false));
            fenced = false;
        } else if (!fenced && fence) {
            records.add(new MetadataRecord.BrokerFencing(broker.id(), broker.epoch(), true));
            fenced = true;
        }
        if (request.wantShutDown()) {
            heartbeats.forget(request.brokerId());
        }
        return new Decision<>(
                records,
                new BrokerHeartbeatResponseData()
                        .setIsCaughtUp(caughtUp)
                        .setIsFenced(fenced)
                        .setShouldShutDown(request.wantShutDown()));
    }

    /** UnregisterBroker (KIP-500 admin): removes a registered broker; a broker that is not registered is an error. */
    static Decision<UnregisterBrokerResponseData> unregister(
            MetadataImage image, UnregisterBrokerRequestData request, BrokerHeartbeats heartbeats) {
        BrokerRegistration broker = image.brokers().get(request.brokerId());
        if (broker == null) {
            return Decision.answer(new UnregisterBrokerResponseData()
                    .setErrorCode(Errors.BROKER_ID_NOT_REGISTERED.code())
                    .setErrorMessage("Broker ID " + request.brokerId() + " is not currently registered"));
        }
        heartbeats.forget(broker.id());
        return new Decision<>(
                List.of(new MetadataRecord.UnregisterBroker(broker.id(), broker.epoch())),
                new UnregisterBrokerResponseData());
    }

    /** Fences every unfenced broker whose session ran out; answers with their ids. */
    static Decision<List<Integer>> fenceExpired(MetadataImage image, BrokerHeartbeats heartbeats, long nowNanos) {
        List<MetadataRecord> records = new ArrayList<>();
        List<Integer> fenced = new ArrayList<>();
        for (BrokerRegistration broker : image.brokers().values()) {
            if (!broker.fenced() && heartbeats.expired(broker.id(), nowNanos)) {
                records.add(new MetadataRecord.BrokerFencing(broker.id(), broker.epoch(), true));
                fenced.add(broker.id());
            }
        }
        return new Decision<>(records, fenced);
    }
}
