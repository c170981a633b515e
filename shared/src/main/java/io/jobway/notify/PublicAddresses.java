package io.jobway.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses Jobway may call for a tenant: public unicast only, decided by an allow-list. IPv4 is public
 * unless it lies in one of IANA's special-purpose blocks that are not globally reachable (RFC 6890 and its
 * updates), multicast or reserved; IPv6 is public only inside global unicast 2000::/3, less the blocks there that
 * are documentation, benchmarking, or that carry an IPv4 address inside (6to4, Teredo), since those can lead back
 * to a refused IPv4 address. Everything outside 2000::/3 is refused, which covers loopback, unspecified,
 * IPv4-compatible ({@code ::127.0.0.1}), IPv4-translated ({@code ::ffff:0:7f00:1}), NAT64 ({@code 64:ff9b::/96}),
 * unique-local (AWS's IPv6 metadata endpoint), link-local and multicast. An IPv4-mapped address
 * ({@code ::ffff:a.b.c.d}) is judged as the IPv4 address it maps.
 */
final class PublicAddresses {
    private static final List<Block> REFUSED_V4 = List.of(
            Block.of("0.0.0.0/8"),        // "this network"
            Block.of("10.0.0.0/8"),       // private
            Block.of("100.64.0.0/10"),    // carrier-grade NAT
            Block.of("127.0.0.0/8"),      // loopback
            Block.of("169.254.0.0/16"),   // link-local: the instance metadata service
            Block.of("172.16.0.0/12"),    // private
            Block.of("192.0.0.0/24"),     // IETF protocol assignments
            Block.of("192.0.2.0/24"),     // documentation
            Block.of("192.88.99.0/24"),   // 6to4 relay anycast
            Block.of("192.168.0.0/16"),   // private
            Block.of("198.18.0.0/15"),    // benchmarking
            Block.of("198.51.100.0/24"),  // documentation
            Block.of("203.0.113.0/24"),   // documentation
            Block.of("224.0.0.0/4"),      // multicast
            Block.of("240.0.0.0/4"));     // reserved, and the broadcast address 255.255.255.255
    private static final Block GLOBAL_UNICAST_V6 = Block.of("2000::/3");
    private static final List<Block> REFUSED_V6 = List.of(
            Block.of("2001::/23"),        // IETF protocol assignments: Teredo, benchmarking, ORCHID
            Block.of("2001:db8::/32"),    // documentation
            Block.of("2002::/16"),        // 6to4: carries an IPv4 address
            Block.of("3fff::/20"));       // documentation

    private PublicAddresses() {
    }

    static boolean isPublic(InetAddress address) {
        if (address instanceof Inet4Address) {
            return REFUSED_V4.stream().noneMatch(block -> block.contains(address));
        }
        byte[] b = address.getAddress();
        if (isMappedV4(b)) {
            try {
                return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return address instanceof Inet6Address && GLOBAL_UNICAST_V6.contains(address)
                && REFUSED_V6.stream().noneMatch(block -> block.contains(address));
    }

    /** ::ffff:a.b.c.d (the JDK already turns most of these into an Inet4Address; not every resolver does). */
    private static boolean isMappedV4(byte[] b) {
        if (b.length != 16 || (b[10] & 0xFF) != 0xFF || (b[11] & 0xFF) != 0xFF) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A CIDR block: an address prefix of {@code bits} bits. */
    private record Block(byte[] prefix, int bits) {
        static Block of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                return new Block(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (b[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (b[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
