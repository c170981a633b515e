package io.jobway.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether Jobway may call a URL a tenant gave it: the one guard for webhooks and {@code http} jobs. In
 * the cloud only https to public addresses ({@link PublicAddresses}): a URL whose host resolves to a loopback,
 * private, link-local (the instance metadata service), unique-local, multicast or reserved address is refused, so
 * a tenant cannot make Jobway reach into its own network. {@link #check} runs when a URL is accepted, to answer
 * 400 at once; {@link #resolve} runs again when {@link OutboundHttp} connects, and the connection goes to the
 * addresses it checked, so a name whose answer changes in between (DNS rebinding) is not followed. Local mode
 * allows http and private addresses, for receivers on the laptop.
 */
public final class CallbackUrlGuard {
    /** Resolves a host to every address it has. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /**
     * A host whose last label is a number is an IPv4 address, which browsers and curl read in decimal, octal or
     * hex, in one to four parts. Only the dotted-quad form means the same to everyone, so it is the only one taken.
     */
    private static final Pattern NUMERIC_LAST_LABEL = Pattern.compile("(?i).*?(^|\\.)(0x[0-9a-f]*|[0-9]+)\\.?$");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final boolean allowPrivate;
    private final Resolver resolver;

    public CallbackUrlGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    public static CallbackUrlGuard create(boolean allowPrivate) {
        return new CallbackUrlGuard(allowPrivate, host -> List.of(InetAddress.getAllByName(host)));
    }

    /** Returns the URL when it may be called, its host resolved and checked; otherwise throws with the reason. */
    public URI check(String url) {
        URI uri = parse(url);
        try {
            resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw new UnsafeUrl(e instanceof RefusedAddress ? e.getMessage()
                    : "has a host that does not resolve: " + uri.getHost());
        }
        return uri;
    }

    /** The URL's form alone (scheme, host, port, no user info), without DNS: what a call checks before it starts. */
    public URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UnsafeUrl("is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UnsafeUrl("must be an absolute URL with a host");
        }
        if (uri.getUserInfo() != null) {
            throw new UnsafeUrl("must not carry a user name or password");
        }
        if (!"https".equals(scheme) && !(allowPrivate && "http".equals(scheme))) {
            throw new UnsafeUrl(allowPrivate ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new UnsafeUrl("has port " + uri.getPort() + "; a port is 1 to 65535");
        }
        String host = uri.getHost();
        if (!host.startsWith("[") && NUMERIC_LAST_LABEL.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new UnsafeUrl("has host " + host + ", which reads as an IPv4 address in a form other than a.b.c.d;"
                    + " write the address as four decimal numbers, or use a host name");
        }
        return uri;
    }

    /**
     * Resolves the host once and returns its addresses, all of them public in the cloud; the HTTP client connects
     * to exactly these. Throws {@link RefusedAddress} when any of them is not public: a name that also answers
     * with a private address is refused whole, since a client may connect to any of its answers.
     */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses = resolver.resolve(bare);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(bare);
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                if (!PublicAddresses.isPublic(address)) {
                    throw new RefusedAddress("points at an address that is not public (" + address.getHostAddress()
                            + "); Jobway only calls public hosts");
                }
            }
        }
        return addresses.toArray(InetAddress[]::new);
    }

    /** A URL Jobway will not call, with the reason. */
    public static final class UnsafeUrl extends IllegalArgumentException {
        public UnsafeUrl(String reason) {
            super(reason);
        }
    }

    /** A host that resolved to an address Jobway will not call; an UnknownHostException so HTTP clients pass it up. */
    public static final class RefusedAddress extends UnknownHostException {
        public RefusedAddress(String reason) {
            super(reason);
        }
    }
}
