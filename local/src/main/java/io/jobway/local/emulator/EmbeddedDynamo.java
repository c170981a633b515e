package io.jobway.local.emulator;

import com.almworks.sqlite4java.SQLiteConnection;
import com.almworks.sqlite4java.SQLiteJob;
import com.almworks.sqlite4java.SQLiteQueue;
import com.almworks.sqlite4java.SQLiteStatement;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.shared.access.LocalDBClient;
import com.amazonaws.services.dynamodbv2.local.shared.access.sqlite.SQLiteDBAccess;
import com.amazonaws.services.dynamodbv2.local.shared.jobs.JobsRegister;
import com.amazonaws.services.dynamodbv2.model.ListTablesRequest;
import io.jobway.obs.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * DynamoDB Local (tables, items and DynamoDB Streams on one endpoint) running inside this JVM, listening on
 * 127.0.0.1 only.
 *
 * <p>DynamoDB Local's own entry points do not fit: {@code ServerRunner} binds every interface and sets up
 * telemetry (a Pinpoint client with Cognito credentials), and {@code DynamoDBProxyServer} builds a Jetty
 * {@code Server(port)}, which binds every interface too. So this class builds the Jetty server itself, with one
 * connector on 127.0.0.1, around the same handlers ServerRunner uses ({@link LocalDynamoDBServerHandler} over
 * {@link LocalDynamoDBRequestHandler}); the telemetry code is never reached. sharedDb is on, so every client
 * sees the same tables whatever its credentials or region. No CORS: only SDK clients on this machine call it.
 *
 * <p>Its SQLite needs sqlite4java's native library, found through the system property
 * {@value #LIBRARY_PATH_PROPERTY} (the build copies it to {@code local/target/native}).
 */
public final class EmbeddedDynamo implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final String LIBRARY_PATH_PROPERTY = "sqlite4java.library.path";
    private static final String NATIVE_LIBRARY = "libsqlite4java-linux-amd64.so";
    /** Idle threads end after a minute, so an idle runtime holds few. */
    static final int MAX_THREADS = 512;

    private final Server server;
    private final LocalDynamoDBServerHandler handler;
    private final LocalDynamoDBRequestHandler requests;
    private final int port;
    private final Path dataDir;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final WriteSignal writes;

    private EmbeddedDynamo(Server server, LocalDynamoDBServerHandler handler, LocalDynamoDBRequestHandler requests,
            int port, Path dataDir, WriteSignal writes) {
        this.writes = writes;
        this.server = server;
        this.handler = handler;
        this.requests = requests;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts with nothing kept: every table is gone at stop. Port 0 picks a free port. */
    public static EmbeddedDynamo startInMemory(int port) {
        return start(port, null);
    }

    /** Starts with its tables kept in {@code dataDir} (one SQLite file, created if missing) across restarts. */
    public static EmbeddedDynamo startPersistent(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create DynamoDB Local's data directory " + dir, e);
        }
        return start(port, dir);
    }

    private static EmbeddedDynamo start(int port, Path dataDir) {
        ensureNativeLibrary();
        boolean inMemory = dataDir == null;
        var requests = new LocalDynamoDBRequestHandler(0, inMemory, inMemory ? null : dataDir.toString(),
                true /* sharedDb */, false /* delayTransientStatuses */);
        var handler = new LocalDynamoDBServerHandler(requests, null /* no CORS */);
        // Jetty reads a request body on a pool thread, blocking until the selector delivers it, and a selector
        // needs a pool thread too: with fewer threads than open connections, every thread can end up waiting for a
        // body no thread is left to deliver (32 threads hung for good at 200 requests/s from 256 connections). So
        // the pool is larger than the connections the runtime's clients can hold open: each function runs at
        // most LocalFunction.MAX_CONCURRENCY invocations at once, each using one connection at a time.
        var threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("dynamodb-local");
        threads.setDaemon(true); // an emulator never keeps the JVM alive
        var server = new Server(threads);
        var connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(port);
        server.addConnector(connector);
        var context = new ContextHandler(); // the same handler tree DynamoDBProxyServer builds
        var writes = new WriteSignal();
        context.setHandler(new SignalWrites(new AnswerAfterCommit(handler, requests), writes));
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            handler.close();
            throw new IllegalStateException("DynamoDB Local could not listen on " + HOST + ":" + port, e);
        }
        if (!inMemory) {
            useWriteAheadLog(requests);
        }
        return new EmbeddedDynamo(server, handler, requests, connector.getLocalPort(), dataDir, writes);
    }

    /**
     * DynamoDB Local leaves SQLite at its defaults: a rollback journal and {@code synchronous=FULL}, so every commit
     * waits for two fsyncs (2.0 ms a commit on this machine's disk) on its one SQLite thread, through which every
     * request passes. At 200 submits/s on a data directory that thread fell behind, and some submits outlasted the
     * API's time budget (503). A write-ahead log with {@code synchronous=NORMAL} commits in 0.04 ms and keeps every
     * committed transaction through a killed process (SQLite's guarantee: the WAL is in the OS's hands at COMMIT);
     * what it gives up is a power cut's last commits, the durability ElasticMQ's H2 store has here too. Set before
     * any request is served, through the same SQLite queue as the commit barrier; if that queue cannot be reached,
     * the defaults stay: slower, as safe.
     */
    private static void useWriteAheadLog(LocalDynamoDBRequestHandler requests) {
        // DynamoDB Local opens its shared database on the first request
        requests.listTables("open-database", "us-east-1", new ListTablesRequest().withLimit(1));
        for (SQLiteQueue queue : sqliteQueues(requests)) {
            String mode = queue.execute(new SQLiteJob<String>() {
                @Override
                protected String job(SQLiteConnection connection) throws Throwable {
                    SQLiteStatement journal = connection.prepare("PRAGMA journal_mode=WAL");
                    try {
                        journal.step();
                        connection.exec("PRAGMA synchronous=NORMAL");
                        return journal.columnString(0); // the mode now in force
                    } finally {
                        journal.dispose();
                    }
                }
            }).complete();
            if (!"wal".equalsIgnoreCase(mode)) {
                Log.warn("dynamodb.journal", "mode", String.valueOf(mode),
                        "detail", "SQLite kept its rollback journal: commits on the data directory stay slow");
            }
        }
    }

    /** The DynamoDB operation a request asks for: its {@code X-Amz-Target} after the service prefix. */
    private static String operation(Request request) {
        String target = request.getHeaders().get("X-Amz-Target");
        return target == null ? "" : target.substring(target.indexOf('.') + 1);
    }

    /**
     * Holds a transaction's answer until its COMMIT has run. DynamoDB Local (2.6.1, {@code
     * SQLiteDBAccess.commitTransaction}) queues the COMMIT on its one SQLite thread and returns without waiting for
     * it, so TransactWriteItems answered 200 while its writes were still uncommitted: a process killed in that gap
     * lost a submit that had been acknowledged (DynamoKillTest reproduced it in 1 kill of 3 to 6). That thread runs
     * its jobs in order, so once an empty job queued after the COMMIT has run, the COMMIT has; the answer goes out
     * only then.
     *
     * <p>The empty job goes straight onto DynamoDB Local's {@code SQLiteQueue}, read from two private fields
     * ({@code LocalDynamoDBRequestHandler.dbRequestHandlers}, {@code LocalDBClient.dbAccess}, then the queue):
     * any public operation would take DynamoDB Local's table lock, which the next transactions hold one after
     * another, and under 200 keyed submits/s on a data directory a ListTables barrier waited behind them (3.2
     * jobs/s, 92 × 503), where the empty job costs what no barrier did (14.4 jobs/s and 16 × 503, against 14.2 and
     * 12). If a later DynamoDB Local renames those fields, the ListTables is the barrier: slower under load, as
     * safe.
     */
    private static final class AnswerAfterCommit extends Handler.Wrapper {
        private static final Set<String> TRANSACTIONS = Set.of("TransactWriteItems", "ExecuteTransaction");
        private final LocalDynamoDBRequestHandler requests;

        AnswerAfterCommit(Handler handler, LocalDynamoDBRequestHandler requests) {
            super(handler);
            this.requests = requests;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!TRANSACTIONS.contains(operation(request))) {
                return super.handle(request, response, callback);
            }
            return super.handle(request, new Response.Wrapper(request, response) {
                private boolean committed;

                @Override
                public void write(boolean last, ByteBuffer content, Callback written) {
                    if (!committed) {
                        committed = true;
                        awaitQueuedCommit();
                    }
                    super.write(last, content, written);
                }
            }, callback);
        }

        private void awaitQueuedCommit() {
            List<SQLiteQueue> queues = sqliteQueues(requests);
            if (queues.isEmpty()) {
                // sharedDb: any credentials reach the one database, and ListTables runs on its SQLite thread
                requests.listTables("commit-barrier", "us-east-1", new ListTablesRequest().withLimit(1));
                return;
            }
            for (SQLiteQueue queue : queues) {
                queue.execute(new SQLiteJob<Void>() {
                    @Override
                    protected Void job(SQLiteConnection connection) {
                        return null; // runs after every job queued before it, the COMMIT among them
                    }
                }).complete();
            }
        }
    }

    /** Each open database's SQLite queue, or none if DynamoDB Local's fields are not where 2.6.1 has them. */
    private static List<SQLiteQueue> sqliteQueues(LocalDynamoDBRequestHandler requests) {
        if (SqliteFields.QUEUE == null) {
            return List.of();
        }
        List<SQLiteQueue> queues = new ArrayList<>();
        try {
            for (Object client : ((Map<?, ?>) SqliteFields.CLIENTS.get(requests)).values()) {
                if (SqliteFields.ACCESS.get(client) instanceof SQLiteDBAccess sqlite) {
                    queues.add((SQLiteQueue) SqliteFields.QUEUE.get(sqlite));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of();
        }
        return queues;
    }

    /** The private fields that lead to the SQLite queue, looked up once: every transaction's answer goes this way. */
    private static final class SqliteFields {
        static final Field CLIENTS;
        static final Field ACCESS;
        static final Field QUEUE; // null when any of the three is missing

        static {
            Field clients = null;
            Field access = null;
            Field queue = null;
            try {
                clients = field(LocalDynamoDBRequestHandler.class, "dbRequestHandlers");
                access = field(LocalDBClient.class, "dbAccess");
                queue = field(SQLiteDBAccess.class, "queue");
            } catch (ReflectiveOperationException | RuntimeException e) {
                // queue stays null: the ListTables barrier, and no write-ahead log
            }
            CLIENTS = clients;
            ACCESS = access;
            QUEUE = queue;
        }
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** Signals each answered write request (whose changes the table's stream then carries). */
    private static final class SignalWrites extends Handler.Wrapper {
        private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem",
                "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction");
        private final WriteSignal writes;

        SignalWrites(Handler handler, WriteSignal writes) {
            super(handler);
            this.writes = writes;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!WRITES.contains(operation(request))) {
                return super.handle(request, response, callback);
            }
            return super.handle(request, response, new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    super.succeeded();
                    writes.signal();
                }
            });
        }
    }

    /**
     * sqlite4java reads its library path from a system property when it first loads; without one, it searches
     * java.library.path and fails with an error that does not say what is missing.
     */
    private static void ensureNativeLibrary() {
        if (System.getProperty(LIBRARY_PATH_PROPERTY) != null) {
            return;
        }
        Path fallback = moduleTarget().resolve("native");
        if (!Files.isRegularFile(fallback.resolve(NATIVE_LIBRARY))) {
            throw new IllegalStateException("DynamoDB Local needs sqlite4java's native library: set -D"
                    + LIBRARY_PATH_PROPERTY + "=<directory holding " + NATIVE_LIBRARY + ">, or build the local module"
                    + " (mvn -pl local generate-resources copies it to local/target/native); looked in " + fallback);
        }
        System.setProperty(LIBRARY_PATH_PROPERTY, fallback.toString());
    }

    /** local/target: the parent of target/classes, or of the jar, this class was loaded from. */
    private static Path moduleTarget() {
        try {
            var location = EmbeddedDynamo.class.getProtectionDomain().getCodeSource().getLocation();
            return Path.of(location.toURI()).toAbsolutePath().getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("local", "target").toAbsolutePath();
        }
    }

    public int port() {
        return port;
    }

    /** The endpoint for a DynamoDbClient's and a DynamoDbStreamsClient's endpointOverride. */
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    /** Signalled after every write request it answered. */
    public WriteSignal writes() {
        return writes;
    }

    /** The data directory in persistent mode; empty in memory. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** Closes the port and the database (so a later start on the same directory opens it cleanly); returns when done. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        } finally {
            handler.close();
            stopBackgroundJobs(requests);
        }
    }

    /**
     * DynamoDB Local runs background jobs (stream shard rollover, TTL, index builds) on a non-daemon thread pool
     * per database, and its shutdown only asks them to finish: they first sleep out their interval, up to 7.5
     * minutes, holding the JVM open. No public API reaches that pool, so two private fields are read here
     * ({@code LocalDynamoDBRequestHandler.dbRequestHandlers}, then {@code LocalDBClient.jobs}, a public
     * {@link JobsRegister} whose {@code shutdownNow} interrupts them). Best effort: if a later DynamoDB Local renames
     * them, stop() still works and the threads end on their own.
     */
    private static void stopBackgroundJobs(LocalDynamoDBRequestHandler requests) {
        try {
            for (Object client : ((Map<?, ?>) field(LocalDynamoDBRequestHandler.class, "dbRequestHandlers")
                    .get(requests)).values()) {
                ((JobsRegister) field(client.getClass(), "jobs").get(client)).shutdownNow();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // see above: the jobs stop by themselves later
        }
    }

    @Override
    public void close() {
        stop();
    }
}
