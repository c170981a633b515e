package io.jobway.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * One function of template.yaml, loaded the way Lambda loads it: the class named by its Handler string,
 * built with the environment variables the template declares. Invocations take event JSON in Lambda's
 * wire shape and turn it into the handler's input type with the runtime's serializer.
 */
public final class LocalFunction {
    private final String name;
    private final int timeoutSeconds;
    private final int memoryMb;
    private final RequestHandler<Object, Object> handler;
    private final PojoSerializer<?> serializer;

    private LocalFunction(String name, int timeoutSeconds, int memoryMb, RequestHandler<Object, Object> handler) {
        this.name = name;
        this.timeoutSeconds = timeoutSeconds;
        this.memoryMb = memoryMb;
        this.handler = handler;
        // built once: the runtime's serializer sets up a mapper with mix-ins, which takes time per call
        this.serializer = LambdaSerialization.serializerFor(inputTypeOf(handler.getClass()));
    }

    /** Loads {@code handlerString} ({@code com.example.Fn::handleRequest}) with its (Config, Clients) constructor. */
    @SuppressWarnings("unchecked")
    public static LocalFunction load(String name, String handlerString, int timeoutSeconds, int memoryMb,
                                     Config config, Clients clients) {
        String className = handlerString.contains("::") ? handlerString.substring(0, handlerString.indexOf("::"))
                : handlerString;
        try {
            Class<?> type = Class.forName(className, true, LocalFunction.class.getClassLoader());
            Object instance = type.getConstructor(Config.class, Clients.class).newInstance(config, clients);
            return new LocalFunction(name, timeoutSeconds, memoryMb, (RequestHandler<Object, Object>) instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load function " + name + " from handler '" + handlerString
                    + "': " + e, e);
        }
    }

    /** A function around a handler instance (tests of the event sources use their own handlers). */
    @SuppressWarnings("unchecked")
    public static LocalFunction of(String name, int timeoutSeconds, RequestHandler<?, ?> handler) {
        return new LocalFunction(name, timeoutSeconds, 512, (RequestHandler<Object, Object>) handler);
    }

    public String name() {
        return name;
    }

    /** Invokes the handler with event JSON, as Lambda would deliver it. */
    public Object invoke(String eventJson) {
        Object event = serializer.fromJson(eventJson);
        return handler.handleRequest(event, new LocalContext(name, memoryMb, timeoutSeconds));
    }

    private static Class<?> inputTypeOf(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                Type input = p.getActualTypeArguments()[0];
                return input instanceof ParameterizedType pi ? (Class<?>) pi.getRawType() : (Class<?>) input;
            }
        }
        throw new IllegalStateException(handlerClass.getName() + " does not implement RequestHandler<I, O>");
    }
}
