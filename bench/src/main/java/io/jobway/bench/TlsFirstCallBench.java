package io.jobway.bench;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jobway.aws.TlsWarmUp;
import io.jobway.lambda.LambdaJava;
import io.jobway.lambda.TemplateStack;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * What the first HTTPS call costs a fresh function JVM, which the cold-start benchmark cannot show: its emulators
 * speak plain HTTP, AWS's endpoints HTTPS. A fresh Java 21 JVM with Lambda's compiler and GC options, SigV4's
 * digests already loaded (as in a function), POSTs a small body twice to a local HTTPS server, and, in another
 * fresh JVM, to a plain-HTTP one; the server's self-signed certificate is added to a copy of that JDK's own trust
 * store, so the trust store parsed is as large as the real one. A third fresh JVM runs {@link TlsWarmUp} first, as
 * SnapStart priming does before the snapshot: its first HTTPS POST is what a restored function pays. Usage:
 * {@code ./jobway bench tls [RUNS]}.
 */
public final class TlsFirstCallBench {
    private static final String PASSWORD = "changeit";

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path java21 = LambdaJava.locate(TemplateStack.projectRoot()).java();
        Path dir = Files.createTempDirectory("jobway-tls");
        Path serverKeys = dir.resolve("server.p12");
        Path trustStore = dir.resolve("cacerts");
        keytool("-genkeypair", "-alias", "local", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", serverKeys.toString(),
                "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "local", "-keystore", serverKeys.toString(), "-storepass", PASSWORD,
                "-file", dir.resolve("server.crt").toString());
        Files.copy(java21.getParent().getParent().resolve("lib/security/cacerts"), trustStore);
        trustStore.toFile().setWritable(true);
        keytool("-importcert", "-noprompt", "-alias", "local", "-file", dir.resolve("server.crt").toString(),
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverContext(serverKeys)));
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (HttpServer server : List.of(https, http)) {
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }
        try {
            String httpsUrl = "https://127.0.0.1:" + https.getAddress().getPort() + "/";
            String httpUrl = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
            firstCall(java21, trustStore, httpsUrl, false); // warms the server side, not counted
            List<Long> tls = new ArrayList<>();
            List<Long> warmed = new ArrayList<>();
            List<Long> plain = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                long[] secure = firstCall(java21, trustStore, httpsUrl, false);
                long[] primed = firstCall(java21, trustStore, httpsUrl, true);
                long[] clear = firstCall(java21, trustStore, httpUrl, false);
                tls.add(secure[0]);
                warmed.add(primed[0]);
                plain.add(clear[0]);
                System.out.printf("run %d: HTTPS first %d ms, second %d ms; HTTPS after TlsWarmUp first %d ms; "
                        + "HTTP first %d ms, second %d ms%n", run, secure[0], secure[1], primed[0], clear[0], clear[1]);
            }
            System.out.printf("%nfirst POST in a fresh Java 21 JVM, %d runs: HTTPS median %d ms (%d-%d), "
                            + "HTTPS after SnapStart priming's TlsWarmUp median %d ms (%d-%d), "
                            + "HTTP median %d ms (%d-%d)%n", runs, median(tls), min(tls), max(tls), median(warmed),
                    min(warmed), max(warmed), median(plain), min(plain), max(plain));
        } finally {
            https.stop(0);
            http.stop(0);
        }
    }

    /** One fresh JVM's first and second POST to {@code url}, in ms; {@code warm}: after {@link TlsWarmUp#run}. */
    private static long[] firstCall(Path java21, Path trustStore, String url, boolean warm) throws Exception {
        Process process = new ProcessBuilder(java21.toString(), "-XX:+UseSerialGC", "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Djavax.net.ssl.trustStore=" + trustStore,
                "-cp", location(TlsFirstCallBench.class) + java.io.File.pathSeparator + location(TlsWarmUp.class),
                FirstCall.class.getName(), url, Boolean.toString(warm))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0 || !output.matches("\\d+ \\d+")) {
            throw new IllegalStateException("the client JVM failed: " + output);
        }
        String[] times = output.split(" ");
        return new long[] {Long.parseLong(times[0]), Long.parseLong(times[1])};
    }

    /** The client, run in the fresh JVM: prints the first and the second POST's time in ms. */
    public static final class FirstCall {
        public static void main(String[] args) throws Exception {
            MessageDigest.getInstance("SHA-256").digest(new byte[1]);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            mac.doFinal(new byte[1]);
            if (Boolean.parseBoolean(args[1])) {
                TlsWarmUp.run(); // what SnapStart priming does before the snapshot
            }
            long first = post(args[0]);
            long second = post(args[0]);
            System.out.println(first + " " + second);
        }

        private static long post(String url) throws IOException {
            long started = System.nanoTime();
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.getOutputStream().write("{\"TableName\":\"jobs\"}".getBytes(StandardCharsets.UTF_8));
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes();
            }
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static String location(Class<?> type) throws java.net.URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static SSLContext serverContext(Path keys) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
