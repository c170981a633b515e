package io.jobway.local.emulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.AutoCreateQueuesConfig;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.util.Either;
import scalikejdbc.ConnectionPool;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

/**
 * ElasticMQ (SQS, with the JSON protocol the AWS SDK v2 speaks) running inside this JVM, listening on
 * 127.0.0.1 only.
 *
 * <p>Persistent mode keeps queues and messages, with their visibility and receive counts, in an H2 database
 * under the data directory: ElasticMQ's "messages-storage" ({@link SqlQueuePersistenceActor}), which restores
 * every queue and message at start. (Its other option, "queues-storage", writes only the queue definitions to a
 * file and loses every message.) A send is acknowledged only after the store has it, and the store writes each
 * commit to its file at once, so an acknowledged message survives the process being killed.
 *
 * <p>That store opens one JVM-wide connection pool (scalikejdbc's singleton, which ElasticMQ creates only once
 * per JVM), so at most one persistent instance can run in a JVM at a time; this class points that pool at its
 * own directory at start and closes it at stop, so stop-then-start, even on another directory, works.
 */
public final class EmbeddedSqs implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final scala.concurrent.duration.FiniteDuration STOP_DEADLINE =
            scala.concurrent.duration.FiniteDuration.apply(1, TimeUnit.SECONDS);
    /** ElasticMQ's message store is a JVM-wide singleton: this guards it. */
    private static final AtomicBoolean PERSISTENT_RUNNING = new AtomicBoolean();

    private final ActorSystem system;
    private final org.apache.pekko.http.scaladsl.Http.ServerBinding binding;
    private final int port;
    private final Path dataDir;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private EmbeddedSqs(ActorSystem system, org.apache.pekko.http.scaladsl.Http.ServerBinding binding, int port,
                        Path dataDir) {
        this.system = system;
        this.binding = binding;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Starts with nothing kept: every queue and message is gone at stop. Port 0 picks a free port. */
    public static EmbeddedSqs startInMemory(int port) {
        return start(port, null);
    }

    /** Starts with queues and messages kept in {@code dataDir} (created if missing) across restarts. */
    public static EmbeddedSqs startPersistent(Path dataDir, int port) {
        if (!PERSISTENT_RUNNING.compareAndSet(false, true)) {
            throw new IllegalStateException("A persistent EmbeddedSqs already runs in this JVM;"
                    + " ElasticMQ's message store allows one at a time: stop it first");
        }
        try {
            return start(port, dataDir.toAbsolutePath());
        } catch (RuntimeException | Error e) {
            closeMessageStore();
            PERSISTENT_RUNNING.set(false);
            throw e;
        }
    }

    private static EmbeddedSqs start(int port, Path dataDir) {
        ActorSystem system = ActorSystem.create("elasticmq", pekkoConfig(), EmbeddedSqs.class.getClassLoader());
        try {
            Option<ActorRef> store = dataDir == null ? Option.empty() : Option.apply(openMessageStore(system, dataDir));
            ActorRef queues = system.actorOf(Props.create(QueueManagerActor.class,
                    new NowProvider(), StrictSQSLimits$.MODULE$, store));
            if (store.isDefined()) {
                restore(store.get(), queues, dataDir);
            }
            // generateServerAddress=true: queue URLs carry the port actually bound, also when port is 0
            var server = new TheSQSRestServerBuilder(Option.apply(system), Option.apply(queues), HOST, port,
                    new NodeAddress("http", HOST, port, ""), true, StrictSQSLimits$.MODULE$, REGION, ACCOUNT_ID,
                    Option.empty(), AutoCreateQueuesConfig.disabled()).start();
            var binding = server.waitUntilStarted();
            return new EmbeddedSqs(system, binding, binding.localAddress().getPort(), dataDir);
        } catch (RuntimeException | Error e) {
            terminate(system);
            throw e;
        }
    }

    /**
     * Pekko settings for a guest in someone else's JVM: quiet, few threads, daemon threads (an emulator never keeps
     * the JVM alive), and request bodies capped near SQS's own limit so a bad client cannot fill the heap.
     */
    private static Config pekkoConfig() {
        return ConfigFactory.parseString("""
                pekko.loglevel = "WARNING"
                # ElasticMQ routes its log to SLF4J, which has no backend here: its warnings and errors would vanish
                pekko.loggers = ["org.apache.pekko.event.Logging$DefaultLogger"]
                # the AWS SDK's User-Agent is not a valid HTTP product token; pekko takes it raw, and says so each time
                pekko.http.server.parsing.illegal-header-warnings = off
                pekko.stdout-loglevel = "OFF"
                pekko.log-dead-letters = off
                pekko.daemonic = on
                pekko.jvm-shutdown-hooks = off
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.actor.default-dispatcher.fork-join-executor.parallelism-max = 4
                pekko.http.server.parsing.max-content-length = 4m
                """).withFallback(ConfigFactory.load(EmbeddedSqs.class.getClassLoader()));
    }

    private static ActorRef openMessageStore(ActorSystem system, Path dataDir) {
        // WRITE_DELAY=0: H2 otherwise writes a commit out up to 500 ms later, and a process killed in that window
        // loses messages SQS already acknowledged (seen here: 1 halt in 3 without it, 0 in 6 with it).
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database while the runtime's hook is still
        // stopping (a submit finishing, messages handed back): ElasticMQ's store then failed, every later send was
        // lost and every call hung (seen on SIGTERM under load). stop() closes it, after the last message.
        String url = "jdbc:h2:file:" + dataDir.resolve("elasticmq") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        try {
            Files.createDirectories(dataDir);
            Class.forName("org.h2.Driver");
            // Fail here with a clear message rather than as a dead actor and an ask timeout later.
            try (var connection = DriverManager.getConnection(url, "", "")) {
                releaseInFlight(connection);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open ElasticMQ's message store in " + dataDir
                    + " (is another Jobway using this data directory?): " + e.getMessage(), e);
        }
        ConnectionPoolSettings settings = ConnectionPool.singleton$default$4();
        ConnectionPool.singleton(url, "", "", settings, ConnectionPool.singleton$default$5(url, "", "", settings));
        var config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false);
        return system.actorOf(Props.create(SqlQueuePersistenceActor.class, config,
                scala.collection.immutable.List$.MODULE$.empty()));
    }

    /**
     * Makes every message that was in flight when this store was last closed visible again. The data directory is
     * this process's alone (H2 locks it), so whoever received those messages is gone: a runtime killed with
     * SIGKILL holds them for the queue's visibility timeout otherwise (90 minutes for the jobs queue). A message
     * in flight is one received at least once and hidden until later; a message sent with a delay and never
     * received keeps its delay. A message hidden on purpose (a retry's backoff) comes back early too: the worker
     * hides it again until the job's run time.
     */
    static int releaseInFlight(java.sql.Connection connection) throws java.sql.SQLException {
        List<String> tables = new ArrayList<>();
        try (var result = connection.getMetaData().getTables(null, null, "MESSAGE%", new String[] {"TABLE"})) {
            while (result.next()) {
                tables.add(result.getString("TABLE_NAME"));
            }
        }
        int released = 0;
        long now = System.currentTimeMillis();
        for (String table : tables) {
            try (var update = connection.prepareStatement("UPDATE \"" + table.replace("\"", "\"\"")
                    + "\" SET next_delivery = ? WHERE receive_count > 0 AND next_delivery > ?")) {
                update.setLong(1, now);
                update.setLong(2, now);
                released += update.executeUpdate();
            }
        }
        if (released > 0) {
            io.jobway.obs.Log.info("local.sqs-in-flight-released", "messages", released);
        }
        return released;
    }

    /** Re-creates the stored queues and their messages before the port opens, so no client sees a half-restored state. */
    private static void restore(ActorRef store, ActorRef queues, Path dataDir) {
        Object result;
        try {
            result = Patterns.ask(store, new QueueEvent.Restore(queues), START_TIMEOUT)
                    .toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ElasticMQ could not restore the queues stored in " + dataDir, e);
        }
        if (result instanceof Either<?, ?> either && either.isLeft()) {
            throw new IllegalStateException("ElasticMQ could not restore the queues stored in " + dataDir + ": " + either);
        }
    }

    public int port() {
        return port;
    }

    /** The endpoint to give an SqsClient's endpointOverride. */
    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    /** The data directory in persistent mode; empty in memory. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** Closes the port, stops ElasticMQ and, when persistent, closes its store; returns when all of it is done. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            // Unbinds, gives open requests a second, then closes the rest: a long poll left by a client that has
            // gone (the runtime's pollers are interrupted at stop) would otherwise hold the stop up to 20 s.
            scala.concurrent.Await.result(binding.terminate(STOP_DEADLINE), STOP_DEADLINE.$times(5));
        } catch (Exception e) {
            throw new IllegalStateException("ElasticMQ's port did not close", e);
        } finally {
            terminate(system);
            if (dataDir != null) {
                closeMessageStore();
                PERSISTENT_RUNNING.set(false);
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void terminate(ActorSystem system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("ElasticMQ did not stop within a minute", e);
        }
    }

    /** Closing the pool closes the H2 database, which writes it out and releases the directory's lock. */
    private static void closeMessageStore() {
        ConnectionPool$.MODULE$.close(ConnectionPool.DEFAULT_NAME());
    }
}
