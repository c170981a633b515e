package io.jobway.auth;

import io.jobway.notify.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The deployment's own secret, and the keys derived from it for each purpose (list cursors, browser tokens). The
 * secret is 32 random bytes in its own table, made by whichever function first needs it: a conditional put, so
 * two cold starts at once agree on one. It is read once per process, on first use, and never leaves it.
 */
public final class SigningKeys {
    static final String SECRET_ID = "deployment-secret-v1";
    private static final int SECRET_BYTES = 32;

    private final Supplier<byte[]> secret;
    /** Each purpose's key, derived once: a few purposes per deployment (cursors, browser tokens). */
    private final Map<String, byte[]> keys = new java.util.concurrent.ConcurrentHashMap<>();

    private SigningKeys(Supplier<byte[]> secret) {
        this.secret = memoize(secret);
    }

    /** The secret in {@code table} (made there if there is none yet), read on first use. */
    public static SigningKeys inTable(DynamoDbClient dynamo, String table, Clock clock) {
        return new SigningKeys(() -> readOrCreate(dynamo, table, clock));
    }

    /**
     * The secret in {@code table}, read on first use, never made: for the functions that only check what the API
     * signed (a token can exist only once the API has made the secret). Until it exists, {@link #key} throws
     * {@link IllegalStateException}.
     */
    public static SigningKeys readFrom(DynamoDbClient dynamo, String table) {
        return new SigningKeys(() -> read(dynamo, table).orElseThrow(() -> new IllegalStateException(
                "no deployment secret in " + table + " yet: the API makes it when it first signs something")));
    }

    /** A fixed secret, for tests. */
    public static SigningKeys of(byte[] secret) {
        byte[] copy = secret.clone();
        return new SigningKeys(() -> copy);
    }

    /** The key for {@code purpose}: HMAC-SHA256 of the purpose under the secret, so one purpose's key signs no other's. */
    public byte[] key(String purpose) {
        return keys.computeIfAbsent(purpose,
                p -> WebhookSigner.hmacSha256(secret.get(), p.getBytes(StandardCharsets.UTF_8))).clone();
    }

    private static byte[] readOrCreate(DynamoDbClient dynamo, String table, Clock clock) {
        Optional<byte[]> existing = read(dynamo, table);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] made = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(made);
        try {
            dynamo.putItem(b -> b.tableName(table).conditionExpression("attribute_not_exists(keyId)")
                    .item(Map.of("keyId", AttributeValue.fromS(SECRET_ID),
                            "secret", AttributeValue.fromB(SdkBytes.fromByteArray(made)),
                            "createdAt", AttributeValue.fromN(Long.toString(clock.millis())))));
            return made;
        } catch (ConditionalCheckFailedException raced) {
            return read(dynamo, table).orElseThrow(); // another function made it first: use that one
        }
    }

    private static Optional<byte[]> read(DynamoDbClient dynamo, String table) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("keyId", AttributeValue.fromS(SECRET_ID))).consistentRead(true)).item();
        return item == null || !item.containsKey("secret") ? Optional.empty()
                : Optional.of(item.get("secret").b().asByteArray());
    }

    /** Keeps the first successful answer; a failed read (DynamoDB down) is tried again by the next caller. */
    private static Supplier<byte[]> memoize(Supplier<byte[]> source) {
        return new Supplier<>() {
            private volatile byte[] value;

            @Override
            public byte[] get() {
                byte[] known = value;
                if (known == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = source.get();
                        }
                        known = value;
                    }
                }
                return known;
            }
        };
    }
}
