package io.herald.controller;

import io.herald.metadata.BrokerEndpoint;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Broker membership decisions: registration (a new broker epoch, starting fenced), heartbeats (unfence once caught up
 * with the metadata log, electing the broker for leaderless partitions of its ISRs; fence on request; controlled
 * shutdown), unregistration and session expiry. Fencing, unregistering and shutting down move the broker's leaderships
 * and ISR memberships away in the same batch. Pure apart from the heartbeat state, which the caller passes in.
 */
final class BrokerDecisions {
    private BrokerDecisions() {}

    static Decision<BrokerRegistrationResponseData> register(
            MetadataImage image,
            BrokerRegistrationRequestData request,
            String clusterId,
            BrokerHeartbeats heartbeats,
            long nowNanos,
            boolean uncleanDefault) {
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
        heartbeats.endControlledShutdown(request.brokerId());
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
        List<MetadataRecord> records = new ArrayList<>();
        if (existing != null) {
            // A new incarnation of a known broker (it restarted): its old self leaves every ISR, as on fencing.
            Set<Integer> leaving = Set.of(existing.id());
            IntPredicate acceptable = LeadershipDecisions.acceptable(image, heartbeats.inControlledShutdown(), leaving);
            records.addAll(LeadershipDecisions.brokersLeaving(image, leaving, acceptable, uncleanDefault));
        }
        records.add(new MetadataRecord.RegisterBroker(
                request.brokerId(), request.incarnationId(), epoch, endpoints, request.rack()));
        return new Decision<>(records, new BrokerRegistrationResponseData().setBrokerEpoch(epoch));
    }

    static Decision<BrokerHeartbeatResponseData> heartbeat(
            MetadataImage image,
            BrokerHeartbeatRequestData request,
            BrokerHeartbeats heartbeats,
            long nowNanos,
            boolean uncleanDefault) {
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
        BrokerHeartbeatResponseData response = new BrokerHeartbeatResponseData().setIsCaughtUp(caughtUp);
        int id = broker.id();
        List<MetadataRecord> records = new ArrayList<>();
        if (request.wantShutDown() || heartbeats.inControlledShutdown().contains(id)) {
            if (broker.fenced()) {
                heartbeats.forget(id);
                return Decision.answer(response.setIsFenced(true).setShouldShutDown(true));
            }
            return controlledShutdown(image, broker, request, heartbeats, uncleanDefault, response);
        }
        if (broker.fenced() && !request.wantFence() && caughtUp) {
            records.add(new MetadataRecord.BrokerFencing(id, broker.epoch(), false));
            IntPredicate acceptable = id2 -> id2 == id
                    || LeadershipDecisions.acceptable(image, heartbeats.inControlledShutdown(), Set.of())
                            .test(id2);
            records.addAll(LeadershipDecisions.electLeaderless(image, acceptable, uncleanDefault));
            return new Decision<>(records, response.setIsFenced(false));
        }
        if (!broker.fenced() && request.wantFence()) {
            records.addAll(fence(image, Set.of(id), heartbeats, uncleanDefault));
            return new Decision<>(records, response.setIsFenced(true));
        }
        return Decision.answer(response.setIsFenced(broker.fenced()));
    }

    /**
     * Controlled shutdown, as KRaft does it: the broker leaves every ISR and its leaderships move to other ISR members
     * (a partition it alone is in sync for is left without a leader); once nothing is left to move and every active
     * broker, this one included, has applied those changes, the broker is fenced and told it may shut down.
     */
    private static Decision<BrokerHeartbeatResponseData> controlledShutdown(
            MetadataImage image,
            BrokerRegistration broker,
            BrokerHeartbeatRequestData request,
            BrokerHeartbeats heartbeats,
            boolean uncleanDefault,
            BrokerHeartbeatResponseData response) {
        int id = broker.id();
        heartbeats.beginControlledShutdown(id);
        IntPredicate acceptable = LeadershipDecisions.acceptable(image, heartbeats.inControlledShutdown(), Set.of());
        List<MetadataRecord> moves = LeadershipDecisions.brokersLeaving(image, Set.of(id), acceptable, uncleanDefault);
        if (!moves.isEmpty()) {
            heartbeats.shutdownOffset(id, -1);
            return new Decision<>(moves, response.setIsFenced(false).setShouldShutDown(false));
        }
        long target = heartbeats.shutdownOffset(id);
        if (target < 0) {
            target = image.offset();
            heartbeats.shutdownOffset(id, target);
        }
        if (request.currentMetadataOffset() < target || lowestActiveOffset(image, heartbeats) < target) {
            return Decision.answer(response.setIsFenced(false).setShouldShutDown(false));
        }
        heartbeats.forget(id);
        return new Decision<>(
                List.of(new MetadataRecord.BrokerFencing(id, broker.epoch(), true)),
                response.setIsFenced(true).setShouldShutDown(true));
    }

    /** The lowest metadata offset reported by the brokers that are unfenced and not shutting down. */
    private static long lowestActiveOffset(MetadataImage image, BrokerHeartbeats heartbeats) {
        long lowest = Long.MAX_VALUE;
        Set<Integer> shuttingDown = heartbeats.inControlledShutdown();
        for (BrokerRegistration other : image.liveBrokers()) {
            if (!shuttingDown.contains(other.id())) {
                lowest = Math.min(lowest, heartbeats.reportedOffset(other.id()));
            }
        }
        return lowest;
    }

    /** Fencing records for these brokers, after the records moving their leaderships and ISR memberships away. */
    private static List<MetadataRecord> fence(
            MetadataImage image, Set<Integer> brokers, BrokerHeartbeats heartbeats, boolean uncleanDefault) {
        IntPredicate acceptable = LeadershipDecisions.acceptable(image, heartbeats.inControlledShutdown(), brokers);
        List<MetadataRecord> records =
                new ArrayList<>(LeadershipDecisions.brokersLeaving(image, brokers, acceptable, uncleanDefault));
        for (int id : brokers) {
            records.add(
                    new MetadataRecord.BrokerFencing(id, image.brokers().get(id).epoch(), true));
            heartbeats.endControlledShutdown(id);
        }
        return records;
    }

    /** UnregisterBroker (KIP-500 admin): removes a registered broker; a broker that is not registered is an error. */
    static Decision<UnregisterBrokerResponseData> unregister(
            MetadataImage image,
            UnregisterBrokerRequestData request,
            BrokerHeartbeats heartbeats,
            boolean uncleanDefault) {
        BrokerRegistration broker = image.brokers().get(request.brokerId());
        if (broker == null) {
            return Decision.answer(new UnregisterBrokerResponseData()
                    .setErrorCode(Errors.BROKER_ID_NOT_REGISTERED.code())
                    .setErrorMessage("Broker ID " + request.brokerId() + " is not currently registered"));
        }
        heartbeats.forget(broker.id());
        Set<Integer> leaving = Set.of(broker.id());
        IntPredicate acceptable = LeadershipDecisions.acceptable(image, heartbeats.inControlledShutdown(), leaving);
        List<MetadataRecord> records =
                new ArrayList<>(LeadershipDecisions.brokersLeaving(image, leaving, acceptable, uncleanDefault));
        records.add(new MetadataRecord.UnregisterBroker(broker.id(), broker.epoch()));
        return new Decision<>(records, new UnregisterBrokerResponseData());
    }

    /**
     * Fences every unfenced broker whose session ran out, in one batch with the records that move their leaderships
     * and ISR memberships away; answers with their ids.
     */
    static Decision<List<Integer>> fenceExpired(
            MetadataImage image, BrokerHeartbeats heartbeats, long nowNanos, boolean uncleanDefault) {
        List<Integer> fenced = new ArrayList<>();
        for (BrokerRegistration broker : image.brokers().values()) {
            if (!broker.fenced() && heartbeats.expired(broker.id(), nowNanos)) {
                fenced.add(broker.id());
            }
        }
        if (fenced.isEmpty()) {
            return Decision.answer(fenced);
        }
        return new Decision<>(fence(image, Set.copyOf(fenced), heartbeats, uncleanDefault), fenced);
    }
}
