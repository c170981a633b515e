package io.jobway.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One function of template.yaml, loaded the way Lambda loads it: the class named by its Handler string,
 * built with the environment variables the template declares. Invocations take event JSON in Lambda's
 * wire shape: a {@link RequestHandler} gets it turned into its input type with the runtime's serializer, a
 * {@link RequestStreamHandler} gets the bytes.
 *
 * <p>At most {@value #MAX_CONCURRENCY} invocations of a function run at once; more wait their turn, in order.
 * Lambda scales a function out to many instances, but here every instance shares two or so cores and the
 * emulators: unbounded, a burst of requests opens as many connections to DynamoDB Local and ElasticMQ at once,
 * and every request slows down together (at 200 submits/s from 256 connections, submits took 7-16 s and timed
 * out into 503s). Bounded, the excess waits in line, and the emulators' connection pools can be sized above the
 * sum of these bounds. An HTTP request does not wait in a long line: when {@value #MAX_WAITING} invocations
 * already wait, {@link #invokeOrThrottle} refuses at once ({@link Throttled}), and the HTTP API answers 429 with
 * Retry-After, as API Gateway does when a function's concurrency runs out, instead of holding the client for
 * tens of seconds (API Gateway itself gives up on an integration after 30 s, with a 503).
 */
public final class LocalFunction {
    /** Concurrent invocations per function; EmbeddedDynamo's thread pool is sized above the sum over functions. */
    public static final int MAX_CONCURRENCY = 32;
    /** Invocations that may wait for a slot through {@link #invokeOrThrottle} before more are refused. */
    public static final int MAX_WAITING = 2 * MAX_CONCURRENCY;

    /** Thrown by {@link #invokeOrThrottle} when the function's line is full: nothing was invoked. */
    public static final class Throttled extends RuntimeException {
        Throttled(String function) {
            super(function + " has " + MAX_CONCURRENCY + " invocations running and " + MAX_WAITING + " waiting");
        }
    }

    private final String name;
    private final int timeoutSeconds;
    private final int memoryMb;
    private final Object handler;
    /** Built once (the runtime's serializer sets up a mapper with mix-ins, which takes time); null for streams. */
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final Semaphore slots = new Semaphore(MAX_CONCURRENCY, true);
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder invocations = new LongAdder();
    private final LongAdder billedMillis = new LongAdder();

    /** Invocations so far and their durations as Lambda bills them: each rounded up to a whole millisecond. */
    public record Usage(long invocations, long billedMillis) {
    }

    @SuppressWarnings("unchecked")
    private LocalFunction(String name, int timeoutSeconds, int memoryMb, Object handler) {
        this.name = name;
        this.timeoutSeconds = timeoutSeconds;
        this.memoryMb = memoryMb;
        this.handler = handler;
        if (handler instanceof RequestStreamHandler) {
            this.input = null;
            this.output = null;
        } else if (handler instanceof RequestHandler<?, ?>) {
            Type[] types = typeArgumentsOf(handler.getClass());
            this.input = (PojoSerializer<Object>) LambdaSerialization.serializerFor(rawClass(types[0]));
            this.output = (PojoSerializer<Object>) LambdaSerialization.serializerFor(rawClass(types[1]));
        } else {
            throw new IllegalStateException(handler.getClass().getName()
                    + " implements neither RequestHandler nor RequestStreamHandler");
        }
    }

    /** Loads {@code handlerString} ({@code com.example.Fn::handleRequest}) with its (Config, Clients) constructor. */
    public static LocalFunction load(String name, String handlerString, int timeoutSeconds, int memoryMb,
                                     Config config, Clients clients) {
        String className = handlerString.contains("::") ? handlerString.substring(0, handlerString.indexOf("::"))
                : handlerString;
        try {
            Class<?> type = Class.forName(className, true, LocalFunction.class.getClassLoader());
            Object instance = type.getConstructor(Config.class, Clients.class).newInstance(config, clients);
            return new LocalFunction(name, timeoutSeconds, memoryMb, instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load function " + name + " from handler '" + handlerString
                    + "': " + e, e);
        }
    }

    /** A function around a handler instance (tests of the event sources use their own handlers). */
    public static LocalFunction of(String name, int timeoutSeconds, RequestHandler<?, ?> handler) {
        return new LocalFunction(name, timeoutSeconds, 512, handler);
    }

    /** A function around a stream handler instance. */
    public static LocalFunction of(String name, int timeoutSeconds, RequestStreamHandler handler) {
        return new LocalFunction(name, timeoutSeconds, 512, handler);
    }

    public String name() {
        return name;
    }

    /** Invokes the handler with event JSON and answers with the JSON Lambda would return to the caller. */
    public String invokeForJson(String eventJson) {
        slots.acquireUninterruptibly();
        try {
            return invoke(eventJson);
        } finally {
            slots.release();
        }
    }

    /** Like {@link #invokeForJson}, but refused with {@link Throttled} when too many already wait for a slot. */
    public String invokeOrThrottle(String eventJson) throws InterruptedException {
        if (!slots.tryAcquire(0, java.util.concurrent.TimeUnit.SECONDS)) { // unlike tryAcquire(), queues fairly
            if (waiting.incrementAndGet() > MAX_WAITING) {
                waiting.decrementAndGet();
                throw new Throttled(name);
            }
            try {
                slots.acquireUninterruptibly();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            return invoke(eventJson);
        } finally {
            slots.release();
        }
    }

    public Usage usage() {
        return new Usage(invocations.sum(), billedMillis.sum());
    }

    public int memoryMb() {
        return memoryMb;
    }

    private String invoke(String eventJson) {
        long start = System.nanoTime();
        try {
            return run(eventJson);
        } finally {
            invocations.increment();
            billedMillis.add((System.nanoTime() - start + 999_999) / 1_000_000);
        }
    }

    @SuppressWarnings("unchecked")
    private String run(String eventJson) {
        var out = new ByteArrayOutputStream();
        if (handler instanceof RequestStreamHandler stream) {
            try {
                stream.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out,
                        context());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            Object result = ((RequestHandler<Object, Object>) handler).handleRequest(input.fromJson(eventJson),
                    context());
            output.toJson(result, out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private LocalContext context() {
        return new LocalContext(name, memoryMb, timeoutSeconds);
    }

    private static Type[] typeArgumentsOf(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                return p.getActualTypeArguments();
            }
        }
        throw new IllegalStateException(handlerClass.getName() + " does not implement RequestHandler<I, O>");
    }
    private static Class<?> rawClass(Type type) {
        return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    }
}
