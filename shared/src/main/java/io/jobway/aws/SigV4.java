package io.jobway.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS Signature Version 4 for the one kind of request {@link AwsJsonClient} sends: a POST of a JSON body to the
 * service's root path, no query string. The SDK's signer does the same, but lives behind its request pipeline,
 * which is what a cold start pays for; {@code SigV4Test} proves both sign alike.
 */
final class SigV4 {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String region;
    private final String service;

    SigV4(String region, String service) {
        this.region = region;
        this.service = service;
    }

    /**
     * The headers to add to a request with the given {@code headers} (names in any case; {@code host} among
     * them; all of them signed) so that it is signed: {@code x-amz-content-sha256} and {@code X-Amz-Date} as the
     * SDK's signer adds them, {@code X-Amz-Security-Token} for session credentials, and {@code Authorization}.
     */
    Map<String, String> sign(Map<String, String> headers, byte[] body, AwsCredentialsIdentity credentials,
                             Instant now) {
        String time = TIME.format(now);
        String date = time.substring(0, 8);
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.trim()));
        String payloadHash = sha256(body);
        signed.put("x-amz-content-sha256", payloadHash);
        signed.put("x-amz-date", time);
        Map<String, String> added = new TreeMap<>();
        added.put("x-amz-content-sha256", payloadHash);
        added.put("X-Amz-Date", time);
        if (credentials instanceof AwsSessionCredentialsIdentity session) {
            signed.put("x-amz-security-token", session.sessionToken());
            added.put("X-Amz-Security-Token", session.sessionToken());
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = "POST\n/\n\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + time + "\n" + scope + "\n"
                + sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(hmac(hmac(key, region), service), "aws4_request");
        added.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + HEX.formatHex(hmac(key, toSign)));
        return added;
    }

    static String sha256(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
