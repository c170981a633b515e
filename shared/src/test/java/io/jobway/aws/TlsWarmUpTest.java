package io.jobway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** What SnapStart priming sets up of TLS, and the condition under which it may. */
class TlsWarmUpTest {
    @Test
    void the_default_secure_random_here_draws_fresh_os_entropy_so_priming_may_set_tls_up() {
        // Linux, as in Lambda: NativePRNG reads /dev/urandom for every output, so restored copies do not repeat
        assertThat(new SecureRandom().getAlgorithm()).startsWith("NativePRNG");
        assertThat(TlsWarmUp.safeInSnapshot()).isTrue();
    }

    @Test
    void run_builds_a_client_hello_without_connecting_anywhere() {
        int helloBytes = TlsWarmUp.run();

        // a TLS record (5-byte header) holding a ClientHello with its extensions and key shares
        assertThat(helloBytes).isGreaterThan(200);
    }
}
