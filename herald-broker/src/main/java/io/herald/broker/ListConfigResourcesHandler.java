package io.herald.broker;

import io.herald.metadata.MetadataImage;
import io.herald.protocol.ApiHandler;
import io.herald.protocol.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ListConfigResourcesRequestData;
import org.apache.kafka.common.message.ListConfigResourcesResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ListConfigResourcesRequest;

/**
 * ListConfigResources (KIP-1142; v0 was ListClientMetricsResources): the resources configs can be described for.
 * v0 lists client-metrics resources only; v1 lists the requested types (every type when none is named): topics,
 * registered brokers, this broker's loggers. Herald keeps no client-metrics or group configs yet, so those types
 * list nothing, as on a Kafka cluster where none was ever set.
 */
final class ListConfigResourcesHandler implements ApiHandler {
    private final int nodeId;
    private final MetadataCache cache;

    ListConfigResourcesHandler(int nodeId, MetadataCache cache) {
        this.nodeId = nodeId;
        this.cache = cache;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(RequestContext context, AbstractRequest request) {
        ListConfigResourcesRequestData data = ((ListConfigResourcesRequest) request).data();
        ListConfigResourcesResponseData response = new ListConfigResourcesResponseData();
        if (context.apiVersion() == 0) {
            return CompletableFuture.completedFuture(response);
        }
        List<Byte> types = data.resourceTypes();
        MetadataImage image = cache.image();
        if (wanted(types, ConfigResource.Type.TOPIC)) {
            image.topicsByName().keySet().forEach(name -> add(response, ConfigResource.Type.TOPIC, name));
        }
        if (wanted(types, ConfigResource.Type.BROKER)) {
            image.brokers().keySet().forEach(id -> add(response, ConfigResource.Type.BROKER, Integer.toString(id)));
        }
        if (wanted(types, ConfigResource.Type.BROKER_LOGGER)) {
            add(response, ConfigResource.Type.BROKER_LOGGER, Integer.toString(nodeId));
        }
        return CompletableFuture.completedFuture(response);
    }

    private static boolean wanted(List<Byte> types, ConfigResource.Type type) {
        return types.isEmpty() || types.contains(type.id());
    }

    private static void add(ListConfigResourcesResponseData response, ConfigResource.Type type, String name) {
        response.configResources()
                .add(new ListConfigResourcesResponseData.ConfigResource()
                        .setResourceName(name)
                        .setResourceType(type.id()));
    }
}
