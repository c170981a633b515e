package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the embedded DynamoDB Local acknowledged is on disk when the process is killed: a child JVM writes items
 * (conditional puts and two-item transactions, as a submit writes a job and its idempotency key) from many
 * clients and prints each acknowledged id; it is sent SIGKILL mid-write, four times on the same directory, and
 * every printed id must be there when it is opened again.
 */
class DynamoKillTest {
    private static final String TABLE = "kill_test";
    private static final int ACKS_BEFORE_KILL = 200;
    private static final int ROUNDS = 4;

    @Test
    @Timeout(300)
    void every_write_acknowledged_before_a_sigkill_is_there_after_the_restart(@TempDir Path dir) throws Exception {
        List<String> acked = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) { // the gap a kill must hit is short: several kills find it
            acked.addAll(killMidWrite(dir, round));
        }

        try (EmbeddedDynamo dynamo = EmbeddedDynamo.startPersistent(dir, 0);
             DynamoDbClient client = EmulatorClients.dynamo(dynamo.endpoint())) {
            List<String> missing = acked.stream().filter(id -> client.getItem(b -> b.tableName(TABLE)
                    .consistentRead(true).key(Map.of("id", AttributeValue.fromS(id)))).item().isEmpty()).toList();
            assertThat(missing).as("acknowledged writes missing after the restarts, of %d", acked.size()).isEmpty();
        }
    }

    /**
     * Runs a writer on {@code dir} until it has acknowledged {@value #ACKS_BEFORE_KILL} writes, kills it, and returns
     * every id it acknowledged.
     */
    private static List<String> killMidWrite(Path dir, int round) throws Exception {
        Process writer = new ProcessBuilder(childCommand(dir, round)).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> acked = new ArrayList<>();
        try (var lines = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            readAcks(lines, acked, ACKS_BEFORE_KILL);
            // SIGKILL, mid-write (the writers never stop on their own); through the handle, which leaves the pipe
            // open to read what was printed before the kill
            writer.toHandle().destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
            readAcks(lines, acked, Integer.MAX_VALUE);
        }
        assertThat(acked).as("writes acknowledged before kill %d", round + 1).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        return acked;
    }

    /** Adds the ids of the writer's "acked" lines to {@code acked} until it holds {@code upTo} or the output ends. */
    private static void readAcks(BufferedReader lines, List<String> acked, int upTo) throws java.io.IOException {
        String line;
        while (acked.size() < upTo && (line = lines.readLine()) != null) {
            if (line.startsWith("acked ")) {
                acked.add(line.substring("acked ".length()));
            }
        }
    }

    private static List<String> childCommand(Path dir, int round) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-D" + EmbeddedDynamo.LIBRARY_PATH_PROPERTY + "=" + System.getProperty(EmbeddedDynamo.LIBRARY_PATH_PROPERTY),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dir.toString(), "r" + round));
        if (Runtime.version().feature() >= 23) {
            command.add(1, "--sun-misc-unsafe-memory-access=allow");
        }
        return command;
    }

    /**
     * The child: writes until killed from 32 clients, three transactions to each conditional put, printing each id
     * once DynamoDB Local has answered 200 for it.
     */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            EmbeddedDynamo dynamo = EmbeddedDynamo.startPersistent(Path.of(args[0]), 0);
            DynamoDbClient client = EmulatorClients.dynamo(dynamo.endpoint());
            try {
                client.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                                .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            } catch (ResourceInUseException alreadyThere) {
                // a table from an earlier run
            }
            Set<String> printed = ConcurrentHashMap.newKeySet();
            ExecutorService clients = Executors.newFixedThreadPool(32);
            for (int t = 0; t < 32; t++) {
                int thread = t;
                clients.submit(() -> {
                    for (long i = 0; ; i++) {
                        String id = args[1] + "-w" + thread + "-" + i;
                        if (i % 4 == 0) {
                            client.putItem(b -> b.tableName(TABLE).item(item(id))
                                    .conditionExpression("attribute_not_exists(id)"));
                        } else {
                            client.transactWriteItems(b -> b.transactItems(
                                    TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(item(id))
                                            .conditionExpression("attribute_not_exists(id)").build()).build(),
                                    TransactWriteItem.builder().put(Put.builder().tableName(TABLE)
                                            .item(item(id + "-key")).build()).build()));
                        }
                        if (printed.add(id)) {
                            synchronized (System.out) {
                                System.out.println("acked " + id);
                                System.out.flush();
                            }
                        }
                    }
                });
            }
            Thread.sleep(Long.MAX_VALUE);
        }

        private static Map<String, AttributeValue> item(String id) {
            return Map.of("id", AttributeValue.fromS(id), "body", AttributeValue.fromS("x".repeat(512)));
        }
    }
}
