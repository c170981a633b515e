package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.jobway.local.LocalRuntime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template's JWT option against an OIDC issuer this test runs, with keys it makes: a token the issuer signed
 * for Jobway's audience acts for the tenant in its claim; every other token gets nothing, and API keys still work.
 */
class JwtE2ETest {
    private static final String AUDIENCE = "jobway-test-client";
    private static final String TENANT = "tenant-jwt";
    private static HttpServer issuerServer;
    private static String issuer;
    private static RSAKey issuerKey;
    private static LocalJobway jobway;

    @BeforeAll
    static void start() throws Exception {
        issuerKey = new RSAKeyGenerator(2048).keyID("issuer-key-1").generate();
        issuerServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort() + "/oidc";
        serve("/oidc/.well-known/openid-configuration",
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks.json\"}");
        serve("/oidc/jwks.json", new JWKSet(issuerKey.toPublicJWK()).toString());
        issuerServer.start();
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-jwt").withParameters(Map.of("JwtIssuer", issuer, "JwtAudience", AUDIENCE,
                        "JwtTenantClaim", "custom:tenant_id")));
    }

    private static void serve(String path, String json) {
        issuerServer.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    @AfterAll
    static void stop() {
        jobway.close();
        issuerServer.stop(0);
    }

    private static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE).subject("user-1")
                .claim("custom:tenant_id", TENANT).expirationTime(Date.from(Instant.now().plusSeconds(600)));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void a_token_from_the_issuer_acts_for_the_tenant_in_its_claim() throws Exception {
        String token = token(issuerKey, claims -> { });

        LocalJobway.Response submitted = jobway.post("/v1/jobs", token, "{\"type\":\"echo\",\"payload\":{\"jwt\":1}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().get("jobId").asText();
        LocalJobway.Response read = jobway.get("/v1/jobs/" + jobId, token);
        assertThat(read.status()).isEqualTo(200);
        assertThat(jobway.get("/v1/jobs", token).json().get("items")).extracting(j -> j.get("jobId").asText())
                .containsExactly(jobId);
        assertThat(jobway.get("/v1/jobs/" + jobId, LocalJobway.KEY_A).status()).as("another tenant's key")
                .isEqualTo(404);
        assertThat(jobway.post("/v1/jobs", LocalJobway.KEY_A, "{\"type\":\"echo\"}").status())
                .as("API keys still work").isEqualTo(202);
    }

    @Test
    void a_token_with_a_scope_claim_gets_only_those_scopes() throws Exception {
        String readOnly = token(issuerKey, claims -> claims.claim("scope", "openid jobway/jobs:read"));

        assertThat(jobway.get("/v1/jobs", readOnly).status()).isEqualTo(200);
        LocalJobway.Response write = jobway.post("/v1/jobs", readOnly, "{\"type\":\"echo\"}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body()).contains("'jobs:write' scope");
    }

    @Test
    void tokens_the_issuer_did_not_sign_for_jobway_get_nothing() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(issuerKey.getKeyID()).generate();
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("signed by another key with the issuer's key id", token(impostor, c -> { }));
        refused.put("another audience", token(issuerKey, c -> c.audience("someone-else")));
        refused.put("another issuer", token(issuerKey, c -> c.issuer(issuer + "-evil")));
        refused.put("expired", token(issuerKey, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(120)))));
        refused.put("no expiry", token(issuerKey, c -> c.expirationTime(null)));
        refused.put("no tenant claim", token(issuerKey, c -> c.claim("custom:tenant_id", null)));
        refused.put("a tenant claim that is no tenant id", token(issuerKey, c -> c.claim("custom:tenant_id", "a,b")));
        refused.put("unsigned (alg none)", new PlainJWT(new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE)
                .claim("custom:tenant_id", TENANT).expirationTime(Date.from(Instant.now().plusSeconds(600))).build())
                .serialize());

        List<String> let = refused.entrySet().stream().filter(e -> jobway.get("/v1/jobs", e.getValue()).status() != 403)
                .map(Map.Entry::getKey).toList();
        assertThat(let).as("tokens that got in").isEmpty();
    }
}
