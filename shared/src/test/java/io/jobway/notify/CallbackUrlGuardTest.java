package io.jobway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CallbackUrlGuardTest {
    /** A fake DNS: names resolve to the addresses given here, nothing else resolves. */
    private static final Map<String, String> DNS = Map.of(
            "hooks.example.com", "93.184.216.34",
            "rebind.example.com", "127.0.0.1",
            "metadata.example.com", "169.254.169.254",
            "inside.example.com", "10.1.2.3",
            "v6-inside.example.com", "fd00:ec2::254",
            "mapped.example.com", "::ffff:192.168.1.10",
            "cgnat.example.com", "100.64.0.7");
    private final CallbackUrlGuard cloud = new CallbackUrlGuard(false, host -> {
        String address = DNS.get(host);
        if (address == null && host.matches("[0-9.]+|\\[[0-9a-f:]+]")) {
            address = host; // an address literal needs no DNS
        }
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(address));
    });

    @Test
    void check_inTheCloud_acceptsHttpsToAPublicHost() {
        assertThat(cloud.check("https://hooks.example.com/jobway?x=1")).hasHost("hooks.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://rebind.example.com/", "https://metadata.example.com/latest/meta-data",
            "https://inside.example.com/", "https://v6-inside.example.com/", "https://mapped.example.com/",
            "https://cgnat.example.com/", "https://127.0.0.1/", "https://[::1]/"})
    void check_inTheCloud_refusesHostsThatResolveInsideANetwork(String url) {
        assertThatThrownBy(() -> cloud.check(url)).isInstanceOf(CallbackUrlGuard.UnsafeUrl.class)
                .hasMessageContaining("Jobway only calls public hosts");
    }

    @Test
    void check_inTheCloud_refusesPlainHttpUserInfoAndUnknownHosts() {
        assertThatThrownBy(() -> cloud.check("http://hooks.example.com/")).hasMessage("must be an https URL");
        assertThatThrownBy(() -> cloud.check("https://me:pw@hooks.example.com/")).hasMessageContaining("password");
        assertThatThrownBy(() -> cloud.check("https://nowhere.example.com/")).hasMessageContaining("does not resolve");
        assertThatThrownBy(() -> cloud.check("not a url")).hasMessageContaining("not a valid URL");
    }

    @Test
    void check_inLocalMode_allowsHttpToLoopback() {
        CallbackUrlGuard local = CallbackUrlGuard.create(true);

        assertThat(local.check("http://127.0.0.1:8080/hook")).hasPort(8080);
        assertThatThrownBy(() -> local.check("ftp://127.0.0.1/")).hasMessage("must be an http or https URL");
    }
}
