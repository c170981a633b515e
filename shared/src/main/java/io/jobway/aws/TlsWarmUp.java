package io.jobway.aws;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Sets up the JDK's TLS stack before the first HTTPS call, connecting nowhere: the default context (the trust
 * store parsed, the key managers built) and one ClientHello, built and dropped, which loads the handshake's
 * classes. SnapStart priming runs it, so that the first call after a restore does not pay for it.
 *
 * <p>It is safe in a snapshot only where every output of the default {@link SecureRandom} mixes in fresh entropy
 * from the OS: the JDK's NativePRNG does ({@code /dev/urandom} on each call), which is the default on Linux and so
 * in Lambda's java21 runtime. A DRBG or SHA1PRNG default would replay its state in every copy restored from one
 * snapshot, so then nothing is set up. No handshake happens, so no session, key or ticket enters the snapshot; the
 * ClientHello's random and key shares are thrown away with the engine.
 */
public final class TlsWarmUp {
    private static final Set<String> FRESH_ENTROPY_PER_CALL = Set.of("NativePRNG", "NativePRNGNonBlocking");

    private TlsWarmUp() {
    }

    /** Whether the default SecureRandom draws fresh OS entropy for every output (see the class comment). */
    public static boolean safeInSnapshot() {
        return FRESH_ENTROPY_PER_CALL.contains(new SecureRandom().getAlgorithm());
    }

    /** Sets the TLS stack up, if that is safe; returns the size of the ClientHello built, 0 if nothing was done. */
    public static int run() {
        if (!safeInSnapshot()) {
            return 0;
        }
        try {
            SSLContext context = SSLContext.getDefault();
            context.getSocketFactory().createSocket().close(); // unconnected: the socket classes HTTPS uses
            SSLEngine engine = context.createSSLEngine("dynamodb.us-east-1.amazonaws.com", 443);
            engine.setUseClientMode(true);
            engine.beginHandshake();
            ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.allocate(0), hello);
            engine.closeOutbound();
            return hello.position();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK's default TLS context cannot be set up: " + e, e);
        }
    }
}
