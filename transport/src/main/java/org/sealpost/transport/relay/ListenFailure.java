package org.sealpost.transport.relay;

import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.sealpost.transport.config.Config;

/**
 * A listener that cannot bind its address, said as the person who configured it needs it: which
 * listener, which address, why, and what to do (rather than Netty's "bind(..) failed with error(-98)").
 */
final class ListenFailure {

    // Linux errno values, negative as Netty's native transport reports them.
    private static final int EACCES = -13;
    private static final int EADDRINUSE = -98;
    private static final int EADDRNOTAVAIL = -99;

    private ListenFailure() {
    }

    static StartupFailure of(Config.Listener listener, IOException e) {
        return of("listener " + listener.name(), "listener." + listener.name() + ".address", listener.address(), e);
    }

    /**
     * Any server of the relay that cannot bind: {@code what} ("listener mx", "metrics_address") says
     * which, {@code key} the configuration key that sets the address.
     */
    static StartupFailure of(String what, String key, InetSocketAddress address, IOException e) {
        String reason = switch (reason(e)) {
            case EADDRINUSE -> "address already in use; stop what uses it or change " + key;
            case EACCES -> "permission denied; a port below 1024 needs root or the capability CAP_NET_BIND_SERVICE "
                    + "(docs/operations.md), or change " + key;
            case EADDRNOTAVAIL -> "no interface of this host has that address; change " + key;
            default -> e.getMessage() + "; check " + key;
        };
        return new StartupFailure(what + ": cannot listen on " + address(address) + ": " + reason, e);
    }

    /** The errno of a failed bind: from the native transport, or from the text of the JDK's BindException. */
    private static int reason(IOException e) {
        if (e instanceof Errors.NativeIoException nativeError) {
            return nativeError.expectedErr();
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("already in use")) {
            return EADDRINUSE;
        }
        if (message.contains("permission denied")) {
            return EACCES;
        }
        return message.contains("cannot assign requested address") ? EADDRNOTAVAIL : 0;
    }

    private static String address(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
