package io.jobway.local.lambda;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns event JSON into handler inputs exactly as Lambda's java21 runtime does (its own serializer, not a
 * plain ObjectMapper: the two read `Records`, PascalCase stream images and timestamps differently).
 */
public final class LambdaSerialization {
    private LambdaSerialization() {
    }

    @SuppressWarnings("unchecked")
    public static <T> PojoSerializer<T> serializerFor(Class<T> type) {
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, LambdaSerialization.class.getClassLoader())
                : (PojoSerializer<T>) JacksonFactory.getInstance().getSerializer(type);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return serializerFor(type).fromJson(json);
    }

    @SuppressWarnings("unchecked")
    public static String toJson(Object value) {
        PojoSerializer<Object> serializer = (PojoSerializer<Object>) serializerFor(value.getClass());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
