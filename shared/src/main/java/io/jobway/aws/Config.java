package io.jobway.aws;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration, read only from the environment variables template.yaml declares. A missing or malformed
 * variable fails the function at start with a message that names it.
 */
public final class Config {
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    public static final String JOBS_TABLE = "JOBS_TABLE";
    public static final String IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE";
    public static final String API_KEYS_TABLE = "API_KEYS_TABLE";
    public static final String JOBS_QUEUE_URL = "JOBS_QUEUE_URL";
    public static final String JOBS_HIGH_QUEUE_URL = "JOBS_HIGH_QUEUE_URL";
    public static final String JOBS_LOW_QUEUE_URL = "JOBS_LOW_QUEUE_URL";
    public static final String DEAD_LETTER_QUEUE_URL = "DEAD_LETTER_QUEUE_URL";
    public static final String JOB_TYPES = "JOB_TYPES";
    public static final String RETRY_BASE_SECONDS = "RETRY_BASE_SECONDS";
    public static final String RETRY_CAP_SECONDS = "RETRY_CAP_SECONDS";
    public static final String JOB_RETENTION_DAYS = "JOB_RETENTION_DAYS";
    public static final String CONNECTIONS_TABLE = "CONNECTIONS_TABLE";
    public static final String WEBSOCKET_ENDPOINT = "WEBSOCKET_ENDPOINT";
    public static final String ALLOW_PRIVATE_CALLBACK_URLS = "ALLOW_PRIVATE_CALLBACK_URLS";
    public static final String WEBHOOK_QUEUE_URL = "WEBHOOK_QUEUE_URL";
    public static final String WEBHOOK_DEAD_LETTER_QUEUE_URL = "WEBHOOK_DEAD_LETTER_QUEUE_URL";
    public static final String WEBHOOK_SECRETS_TABLE = "WEBHOOK_SECRETS_TABLE";
    public static final String DELIVERIES_TABLE = "DELIVERIES_TABLE";
    public static final String HOOK_SOURCES_TABLE = "HOOK_SOURCES_TABLE";
    public static final String WEBHOOK_RETRY_BASE_SECONDS = "WEBHOOK_RETRY_BASE_SECONDS";
    public static final String WEBHOOK_MAX_ATTEMPTS = "WEBHOOK_MAX_ATTEMPTS";
    public static final String LIMITS_TABLE = "LIMITS_TABLE";
    public static final String SCHEDULES_TABLE = "SCHEDULES_TABLE";
    public static final String DEAD_LETTERS_TABLE = "DEAD_LETTERS_TABLE";
    public static final String SIGNING_KEYS_TABLE = "SIGNING_KEYS_TABLE";
    public static final String TENANT_REQUESTS_PER_MINUTE = "TENANT_REQUESTS_PER_MINUTE";
    public static final String TENANT_JOBS_PER_DAY = "TENANT_JOBS_PER_DAY";
    public static final String JWT_ISSUER = "JWT_ISSUER";
    public static final String JWT_AUDIENCE = "JWT_AUDIENCE";
    public static final String JWT_TENANT_CLAIM = "JWT_TENANT_CLAIM";
    /** Powertools' own names: the metrics' namespace and the function's {@code Service} dimension. */
    public static final String METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE";
    public static final String SERVICE_NAME = "POWERTOOLS_SERVICE_NAME";

    private final Map<String, String> env;

    private Config(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static Config fromEnvironment() {
        return new Config(System.getenv());
    }

    public static Config of(Map<String, String> env) {
        return new Config(env);
    }

    public String require(String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set; template.yaml declares it"
                    + " for every function that reads it");
        }
        return value;
    }

    public Optional<String> optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public int requireInt(String name, int min, int max) {
        String value = require(name);
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                throw new IllegalStateException("environment variable " + name + " must be between " + min + " and "
                        + max + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a whole number, was '"
                    + value + "'", e);
        }
    }

    /**
     * The endpoint override for one service, by the AWS SDKs' convention: {@code AWS_ENDPOINT_URL_<SERVICE>}
     * (e.g. {@code AWS_ENDPOINT_URL_SQS}) first, then {@code AWS_ENDPOINT_URL}. Unset in AWS; set locally.
     */
    public Optional<URI> endpoint(String serviceSuffix) {
        return optional(AWS_ENDPOINT_URL + "_" + serviceSuffix).or(() -> optional(AWS_ENDPOINT_URL)).map(URI::create);
    }
}
