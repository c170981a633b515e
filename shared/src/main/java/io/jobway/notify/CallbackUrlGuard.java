package io.jobway.notify;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides whether Jobway may call a URL a tenant gave it (webhooks, http jobs). In the cloud only https to
 * public addresses: a URL whose host resolves to a loopback, private, link-local (the instance metadata
 * service), carrier-grade NAT, unique-local or multicast address is refused, so a tenant cannot make Jobway
 * reach into its own network. Local mode allows http and private addresses, for receivers on the laptop.
 */
public final class CallbackUrlGuard {
    /** Resolves a host to every address it has. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public CallbackUrlGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public static CallbackUrlGuard create(boolean allowPrivate) {
        return new CallbackUrlGuard(allowPrivate, host -> List.of(InetAddress.getAllByName(host)));
    }

    /** Returns the URL when it may be called; otherwise throws with the reason in words. */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UnsafeUrl("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new UnsafeUrl("must be an absolute URL with a host");
        }
        if (uri.getUserInfo() != null) {
            throw new UnsafeUrl("must not carry a user name or password");
        }
        if (!"https".equals(scheme) && !(allowPrivate && "http".equals(scheme))) {
            throw new UnsafeUrl(allowPrivate ? "must be an http or https URL" : "must be an https URL");
        }
        if (allowPrivate) {
            return uri;
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new UnsafeUrl("has a host that does not resolve: " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new UnsafeUrl("points at a private, loopback or link-local address (" + address.getHostAddress()
                        + "); Jobway only calls public hosts");
            }
        }
        return uri;
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xFF;
            int second = b[1] & 0xFF;
            return !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT 100.64/10
                    && first != 0 && !(first == 192 && second == 0 && (b[2] & 0xFF) == 0); // 0/8, 192.0.0/24
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xFE) == 0xFC) {
                return false; // unique local fc00::/7, where AWS's IPv6 metadata endpoint lives
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A URL Jobway will not call, with the reason. */
    public static final class UnsafeUrl extends IllegalArgumentException {
        public UnsafeUrl(String reason) {
            super(reason);
        }
    }
}
