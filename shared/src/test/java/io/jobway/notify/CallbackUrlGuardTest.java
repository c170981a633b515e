package io.jobway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlGuardTest {
    /**
     * Addresses no tenant may make Jobway call: every special-purpose block, at its edges where they are near
     * public space, and IPv6 forms that carry a refused IPv4 address (mapped, compatible, translated, NAT64, 6to4,
     * Teredo).
     */
    static final List<String> HOSTILE_ADDRESSES = List.of(
            "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1",
            "127.1.2.3", "127.255.255.255", "169.254.169.254", "169.254.170.2", "169.254.0.1", "172.16.0.1",
            "172.31.255.255", "192.0.0.1", "192.0.0.192", "192.0.2.1", "192.88.99.1", "192.168.0.1",
            "192.168.255.255", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
            "239.255.255.250", "240.0.0.1", "250.1.2.3", "255.255.255.255",
            "::", "::1", "::127.0.0.1", "::a9fe:a9fe", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254",
            "::ffff:10.0.0.1", "::ffff:0:7f00:1", "::ffff:0:a9fe:a9fe", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1",
            "64:ff9b:1::1", "100::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:db8::1",
            "2002:7f00:1::1", "2002:a9fe:a9fe::1", "3fff::1", "fc00::1", "fd00:ec2::254", "fe80::1",
            "fe80::a9fe:a9fe", "fec0::1", "ff02::1", "ff0e::1");
    /** 127.0.0.1 and 169.254.169.254 as browsers and curl also read them: decimal, hex, octal, short forms. */
    static final List<String> NUMERIC_HOSTS = List.of("2130706433", "0x7f000001", "0177.0.0.1", "0x7f.0.0.1",
            "127.1", "127.0.1", "017700000001", "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518",
            "127.000.000.001");
    /** Public addresses, several right beside a refused block: the guard must not refuse everything. */
    static final List<String> PUBLIC_ADDRESSES = List.of("93.184.216.34", "8.8.8.8", "1.1.1.1", "100.63.255.255",
            "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.0.1.1", "198.17.255.255", "198.20.0.0",
            "223.255.255.255", "2606:4700:4700::1111", "2001:4860:4860::8888", "2001:200::1", "::ffff:8.8.8.8");

    /** A fake DNS: {@code host-N.attacker.test} names, one per address; literals parse; nothing else resolves. */
    private static final Map<String, List<InetAddress>> DNS = new HashMap<>();

    static {
        List<String> all = new ArrayList<>(HOSTILE_ADDRESSES);
        all.addAll(PUBLIC_ADDRESSES);
        for (int i = 0; i < all.size(); i++) {
            DNS.put(name(all.get(i)), List.of(literal(all.get(i))));
        }
        DNS.put("mixed.attacker.test", List.of(literal("93.184.216.34"), literal("10.0.0.5")));
        DNS.put("hooks.example.com", List.of(literal("93.184.216.34")));
    }

    private final CallbackUrlGuard cloud = new CallbackUrlGuard(false, CallbackUrlGuardTest::resolve);

    static List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> answer = DNS.get(host);
        if (answer != null) {
            return answer;
        }
        if (host.contains(":") || host.matches("[0-9.]+")) {
            return List.of(InetAddress.getAllByName(host)); // a literal: no DNS
        }
        throw new UnknownHostException(host);
    }

    static String name(String address) {
        return "host-" + address.replace(':', '-').replace('.', '-') + ".attacker.test";
    }

    static String urlOf(String address) {
        return "https://" + (address.contains(":") ? "[" + address + "]" : address) + "/hook";
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /** Every hostile URL: each address as a literal and behind a name, the numeric forms, and the odd schemes. */
    static Stream<String> hostileUrls() {
        List<String> urls = new ArrayList<>();
        HOSTILE_ADDRESSES.forEach(a -> urls.add(urlOf(a)));
        HOSTILE_ADDRESSES.forEach(a -> urls.add("https://" + name(a) + "/hook"));
        NUMERIC_HOSTS.forEach(h -> urls.add("https://" + h + "/hook"));
        urls.addAll(List.of("https://mixed.attacker.test/", "http://hooks.example.com/", "ftp://hooks.example.com/",
                "file:///etc/passwd", "gopher://hooks.example.com/", "https://me:pw@hooks.example.com/",
                "https://hooks.example.com:0/", "https://hooks.example.com:99999/", "https://nowhere.attacker.test/",
                "//hooks.example.com/", "/relative", "https:///no-host", "not a url"));
        return urls.stream();
    }

    @Test
    void theHostileTable_isAsLargeAsTheIssueAsks() {
        assertThat(hostileUrls().count()).isGreaterThanOrEqualTo(108);
    }

    @ParameterizedTest
    @MethodSource("hostileUrls")
    void check_inTheCloud_refusesEveryHostileUrl(String url) {
        assertThatThrownBy(() -> cloud.check(url)).isInstanceOf(CallbackUrlGuard.UnsafeUrl.class);
    }

    /** The same table against the guard as the functions build it: the JDK's own parsing of every literal. */
    @ParameterizedTest
    @MethodSource("hostileUrls")
    void check_withTheSystemResolver_refusesEveryHostileLiteral(String url) {
        if (url.contains(".attacker.test") || url.contains("example.com")) {
            return; // names need the fake DNS; the literals are the point here
        }
        assertThatThrownBy(() -> CallbackUrlGuard.create(false).check(url))
                .isInstanceOf(CallbackUrlGuard.UnsafeUrl.class);
    }

    static Stream<String> publicUrls() {
        return PUBLIC_ADDRESSES.stream().flatMap(a -> Stream.of(urlOf(a), "https://" + name(a) + "/hook"));
    }

    @ParameterizedTest
    @MethodSource("publicUrls")
    void check_inTheCloud_acceptsHttpsToPublicAddresses(String url) {
        assertThat(cloud.check(url)).hasPath("/hook");
    }

    @Test
    void check_namesWhatIsWrong() {
        assertThatThrownBy(() -> cloud.check(urlOf("169.254.169.254")))
                .hasMessage("points at an address that is not public (169.254.169.254); Jobway only calls public hosts");
        assertThatThrownBy(() -> cloud.check("https://mixed.attacker.test/")).hasMessageContaining("10.0.0.5");
        assertThatThrownBy(() -> cloud.check("http://hooks.example.com/")).hasMessage("must be an https URL");
        assertThatThrownBy(() -> cloud.check("https://me:pw@hooks.example.com/")).hasMessageContaining("password");
        assertThatThrownBy(() -> cloud.check("https://hooks.example.com:99999/"))
                .hasMessage("has port 99999; a port is 1 to 65535");
        assertThatThrownBy(() -> cloud.check("https://2130706433/")).hasMessageContaining("four decimal numbers");
        assertThatThrownBy(() -> cloud.check("https://nowhere.attacker.test/")).hasMessageContaining("does not resolve");
        assertThatThrownBy(() -> cloud.check("not a url")).hasMessageContaining("not a valid URL");
    }

    @Test
    void resolve_returnsTheAddressesItChecked() throws UnknownHostException {
        assertThat(cloud.resolve("hooks.example.com")).containsExactly(literal("93.184.216.34"));
        assertThat(cloud.resolve("[2606:4700:4700::1111]")).containsExactly(literal("2606:4700:4700::1111"));
        assertThatThrownBy(() -> cloud.resolve(name("127.0.0.1"))).isInstanceOf(CallbackUrlGuard.RefusedAddress.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost:8080/", "https://10.0.0.1/"})
    void check_inLocalMode_allowsHttpAndPrivateReceivers(String url) {
        assertThat(CallbackUrlGuard.create(true).check(url)).hasScheme(url.substring(0, url.indexOf(':')));
    }

    @Test
    void check_inLocalMode_stillRefusesOtherSchemesAndBadPorts() {
        CallbackUrlGuard local = CallbackUrlGuard.create(true);

        assertThatThrownBy(() -> local.check("ftp://127.0.0.1/")).hasMessage("must be an http or https URL");
        assertThatThrownBy(() -> local.check("http://127.0.0.1:99999/")).hasMessageContaining("port 99999");
    }
}
