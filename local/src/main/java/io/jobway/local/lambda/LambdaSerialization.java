package io.jobway.local.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

/**
 * Turns event JSON into handler inputs exactly as Lambda's java21 runtime does (its own serializer, not a
 * plain ObjectMapper: the two read `Records`, PascalCase stream images and timestamps differently).
 */
public final class LambdaSerialization {
    private LambdaSerialization() {
    }

    public static <T> PojoSerializer<T> serializerFor(Class<T> type) {
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, LambdaSerialization.class.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(type);
    }
}
