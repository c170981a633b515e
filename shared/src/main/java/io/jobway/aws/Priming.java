package io.jobway.aws;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobway.obs.Log;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * SnapStart priming. Lambda snapshots a published version once its init is done and starts every new copy from
 * that snapshot, so whatever the init warmed (loaded classes, C1 code, Jackson's and the SDK's caches) each copy
 * starts with. A function registers its sample work here; Lambda's runtime runs it just before the snapshot
 * ({@link #beforeCheckpoint}), through the function's own code, with {@link Clients#forPriming() clients} that
 * marshal and sign each request and refuse to send it. Nothing of a request's outcome is kept, so the snapshot
 * holds no data that must stay unique or fresh:
 * <ul>
 *   <li>no network call and no credentials: the priming clients sign with fixed dummy keys and send nothing; the
 *       real clients' credentials are looked up at their first call, after the restore (see {@link Clients});</li>
 *   <li>no ids: the sample work runs on its own throwaway wiring and stops before any id or lease token is drawn;
 *       the handler's own id generator ({@code JobIds}) is first used after the restore;</li>
 *   <li>no time: clocks are read per call ({@code Clock.systemUTC()}), never cached;</li>
 *   <li>no TLS secrets: the TLS stack is set up without a handshake, and only where the default SecureRandom
 *       draws fresh entropy for every output ({@link TlsWarmUp}).</li>
 * </ul>
 * A failure of the sample work is logged and ignored: priming only warms, it must never stop a deploy.
 */
public final class Priming implements Resource {
    /** Sample work: one or more requests through the function's code, on clients built from those given. */
    @FunctionalInterface
    public interface Work {
        void run(Clients primingClients) throws Exception;
    }

    /** What a priming client's request ends with: prepared, signed and not sent. */
    public static final class NotSent extends IOException {
        NotSent(String request) {
            super("SnapStart priming: " + request + " was prepared and not sent");
        }
    }

    private final String function;
    private final Clients clients;
    private final Work work;

    private Priming(String function, Clients clients, Work work) {
        this.function = function;
        this.clients = clients;
        this.work = work;
    }

    /**
     * Registers the work with CRaC (bound to Lambda's runtime there; in a plain JVM nothing ever calls it). CRaC
     * holds resources weakly: keep the returned object in a field of the handler.
     */
    public static Priming register(String function, Clients clients, Work work) {
        Priming priming = new Priming(function, clients.forPriming(), work);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    /** Nothing to renew: priming kept no credentials, ids or times (see the class comment). */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }

    /** Runs the sample work once; requests that stop at "not sent" are the expected end. */
    public void prime() {
        long started = System.nanoTime();
        try {
            // AWS's endpoints speak HTTPS; the sample work's requests are never sent, so no handshake runs there
            TlsWarmUp.run();
            work.run(clients);
        } catch (Exception e) {
            if (!notSent(e)) {
                Log.warn("snapstart.priming-failed", "function", function, "error", e.toString());
            }
        }
        Log.info("snapstart.primed", "function", function, "ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static boolean notSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NotSent) {
                return true;
            }
        }
        return false;
    }

    /**
     * An HTTP client that lets the real one prepare each request (which loads its classes and builds its
     * connection object without connecting), then aborts it and answers {@link NotSent}.
     */
    static SdkHttpClient sendless(SdkHttpClient http) {
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                ExecutableHttpRequest prepared = http.prepareRequest(request);
                prepared.abort();
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        if (request.contentStreamProvider().isPresent()) {
                            try (InputStream body = request.contentStreamProvider().get().newStream()) {
                                body.transferTo(OutputStream.nullOutputStream());
                            }
                        }
                        throw new NotSent(request.httpRequest().method() + " " + request.httpRequest().getUri());
                    }

                    @Override
                    public void abort() {
                    }
                };
            }

            @Override
            public void close() {
                // the real client stays open for the real requests
            }
        };
    }

    /**
     * Runs a sample event through a stream handler as Lambda would, its answer dropped: the event reading, the
     * routing and the (unsent) SDK requests all run once before the snapshot.
     */
    public static void invoke(RequestStreamHandler handler, byte[] event, Context context) {
        try {
            handler.handleRequest(new ByteArrayInputStream(event), OutputStream.nullOutputStream(), context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Lambda context for sample invocations: a fixed name and {@code remaining} time left. */
    public static Context context(String functionName, Duration remaining) {
        return new SampleContext(functionName, (int) remaining.toMillis());
    }

    private record SampleContext(String functionName, int remainingMillis) implements Context {
        @Override
        public String getAwsRequestId() {
            return Log.PRIMING_REQUEST_ID;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + functionName;
        }

        @Override
        public String getLogStreamName() {
            return "snapstart-priming";
        }

        @Override
        public String getFunctionName() {
            return functionName;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:priming:000000000000:function:" + functionName;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return remainingMillis;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 0;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                }

                @Override
                public void log(byte[] message) {
                }
            };
        }
    }
}
