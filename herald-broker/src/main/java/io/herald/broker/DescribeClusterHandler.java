package io.herald.broker;

import io.herald.metadata.AclAuthorizer;
import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.resource.ResourceType;

/** DescribeCluster on a broker listener: cluster id, a controller id clients can reach, and the brokers. */
final class DescribeClusterHandler implements ApiHandler {
    private static final byte ENDPOINT_TYPE_BROKER = 1;

    private final BrokerSettings settings;
    private final MetadataCache cache;
    private final RequestAuthorizer authorizer;

    DescribeClusterHandler(BrokerSettings settings, MetadataCache cache, RequestAuthorizer authorizer) {
        this.settings = settings;
        this.cache = cache;
        this.authorizer = authorizer;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        DescribeClusterRequestData data = ((DescribeClusterRequest) request).data();
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setEndpointType(ENDPOINT_TYPE_BROKER)
                .setClusterId(settings.clusterId())
                .setControllerId(settings.nodeId())
                .setClusterAuthorizedOperations(AuthorizedOperations.of(
                        authorizer,
                        context,
                        ResourceType.CLUSTER,
                        AclAuthorizer.CLUSTER_NAME,
                        data.includeClusterAuthorizedOperations()));
        if (data.endpointType() != ENDPOINT_TYPE_BROKER) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.MISMATCHED_ENDPOINT_TYPE.code())
                    .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an endpoint of"
                            + " type CONTROLLER"));
        }
        MetadataImage image = cache.image();
        for (BrokerRegistration broker : image.brokers().values()) {
            if (broker.fenced() && !data.includeFencedBrokers()) {
                continue;
            }
            broker.endpoint(context.listenerName()).ifPresent(endpoint -> response.brokers()
                    .add(new DescribeClusterResponseData.DescribeClusterBroker()
                            .setBrokerId(broker.id())
                            .setHost(endpoint.host())
                            .setPort(endpoint.port())
                            .setRack(broker.rack())
                            .setIsFenced(broker.fenced())));
        }
        return CompletableFuture.completedFuture(response);
    }
}
