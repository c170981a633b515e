package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoopbackBindingTest {
    @Test
    void both_emulators_accept_connections_on_127_0_0_1() throws IOException {
        try (var emulators = Emulators.inMemory()) {
            assertThat(connects("127.0.0.1", emulators.sqsServer.port())).isTrue();
            assertThat(connects("127.0.0.1", emulators.dynamoServer.port())).isTrue();
        }
    }

    @Test
    void neither_emulator_is_reachable_on_another_address_of_this_machine() throws IOException {
        Optional<InetAddress> other = nonLoopbackAddress();
        assumeTrue(other.isPresent(), "this machine has no address besides loopback");
        try (var emulators = Emulators.inMemory()) {
            String address = other.get().getHostAddress();
            assertThat(connects(address, emulators.sqsServer.port())).isFalse();
            assertThat(connects(address, emulators.dynamoServer.port())).isFalse();
        }
    }

    /** True when connected; false when refused on a non-loopback address; other failures propagate. */
    static boolean connects(String host, int port) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (ConnectException e) {
            if (host.equals("127.0.0.1")) {
                throw e;
            }
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(LoopbackBindingTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }

    private static boolean isUp(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp() && !networkInterface.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
