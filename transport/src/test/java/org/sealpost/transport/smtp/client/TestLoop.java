package org.sealpost.transport.smtp.client;

import io.netty.channel.nio.NioEventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Netty event loop of a delivery test and what the test opened on it (peers, listeners,
 * deliverers), all closed after each test, deliverers first, then the loop. Register it with
 * {@code @RegisterExtension}.
 */
final class TestLoop implements AfterEachCallback {

    private final NioEventLoopGroup group;
    private final List<AutoCloseable> open = new ArrayList<>();

    TestLoop(int threads) {
        this.group = new NioEventLoopGroup(threads);
    }

    NioEventLoopGroup group() {
        return group;
    }

    /** Closes {@code closeable} after the test, after the deliverers. */
    <T extends AutoCloseable> T closeAfterTest(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** Closes {@code deliverer} after the test, before the peers it may hold connections to. */
    SmtpDeliverer closeAfterTest(SmtpDeliverer deliverer) {
        open.add(0, deliverer::close);
        return deliverer;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
