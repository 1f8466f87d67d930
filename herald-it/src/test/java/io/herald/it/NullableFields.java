package io.herald.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.protocol.Message;

/**
 * Null is not empty on the wire: Kafka answers a successful result's nullable error message with null (its handlers
 * set the message of "no error", which is null), so a client that reads a non-null message as a failure, or compares
 * answers exactly, sees a difference when a broker sends "" instead. This walks a parsed response and names every
 * result whose error code is 0 and whose error message is not null.
 */
final class NullableFields {
    /**
     * Results Kafka builds without touching the message, so they carry the schema's default (an empty string) on
     * success: the Describe* answers below. Herald must send the same there.
     */
    private static final Set<Class<?>> KAFKA_LEAVES_DEFAULT = Set.of(
            DescribeConfigsResponseData.DescribeConfigsResult.class,
            DescribeQuorumResponseData.class,
            DescribeQuorumResponseData.PartitionData.class,
            DescribeUserScramCredentialsResponseData.class);

    private NullableFields() {}

    /** The paths (e.g. {@code CreateTopicsResponseData.topics[0]}) of successful results with a non-null message. */
    static List<String> messagesOnSuccess(Message message) {
        List<String> found = new ArrayList<>();
        walk(message, message.getClass().getSimpleName(), found);
        return found;
    }

    private static void walk(Message message, String path, List<String> found) {
        Class<?> type = message.getClass();
        Method code = method(type, "errorCode");
        Method text = method(type, "errorMessage");
        if (code != null && text != null && !KAFKA_LEAVES_DEFAULT.contains(type)) {
            Object value = invoke(text, message);
            if (((Number) invoke(code, message)).intValue() == 0 && value != null) {
                found.add(path + ".errorMessage='" + value + "'");
            }
        }
        for (Method accessor : type.getMethods()) {
            if (accessor.getParameterCount() != 0 || accessor.getDeclaringClass() != type) {
                continue;
            }
            String field = path + "." + accessor.getName();
            if (Collection.class.isAssignableFrom(accessor.getReturnType())) {
                Collection<?> items = (Collection<?>) invoke(accessor, message);
                int i = 0;
                for (Object item : items == null ? List.of() : items) {
                    if (item instanceof Message nested) {
                        walk(nested, field + "[" + i + "]", found);
                    }
                    i++;
                }
            } else if (Message.class.isAssignableFrom(accessor.getReturnType())
                    && !accessor.getName().equals("duplicate")) {
                Object nested = invoke(accessor, message);
                if (nested != null) {
                    walk((Message) nested, field, found);
                }
            }
        }
    }

    private static Method method(Class<?> type, String name) {
        try {
            return type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Object invoke(Method accessor, Object target) {
        try {
            return accessor.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(accessor.toString(), e);
        }
    }
}
