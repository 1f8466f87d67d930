package io.herald.protocol;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Sets {@code throttle_time_ms} on any response message that has the field. kafka-clients' generated messages share no
 * interface for it, so the setter is found once per message class; messages without it are left as they are.
 */
final class ThrottleTimes {
    private static final ClassValue<Optional<MethodHandle>> SETTERS = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            try {
                return Optional.of(MethodHandles.publicLookup()
                        .findVirtual(type, "setThrottleTimeMs", MethodType.methodType(type, int.class)));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return Optional.empty();
            }
        }
    };

    private ThrottleTimes() {}

    /** True when {@code message} carries the throttle time now. */
    static boolean set(ApiMessage message, int throttleMs) {
        Optional<MethodHandle> setter = SETTERS.get(message.getClass());
        if (setter.isEmpty()) {
            return false;
        }
        try {
            setter.get().invoke(message, throttleMs);
            return true;
        } catch (Throwable e) {
            throw new IllegalStateException(
                    "cannot set the throttle time of " + message.getClass().getName(), e);
        }
    }
}
