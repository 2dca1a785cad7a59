package org.sealpost.transport.smtp.client;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.sealpost.keyexchange.policy.HostPolicy;

/**
 * Connections per next-hop address and TLS level: several messages go over one connection, idle
 * ones are kept briefly for the next message, and no address gets more than the configured number
 * of simultaneous connections (the others wait in order).
 */
final class ConnectionPool {

    private record Key(Target target, String policy) {
    }

    private static final class Slot {
        final ArrayDeque<SmtpConnection> idle = new ArrayDeque<>();
        final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        int open;
    }

    private final Connector connector;
    private final ClientSettings settings;
    private final EventLoopGroup timers;
    private final Map<Key, Slot> slots = new HashMap<>();
    private boolean closed;

    ConnectionPool(Connector connector, ClientSettings settings, EventLoopGroup timers) {
        this.connector = connector;
        this.settings = settings;
        this.timers = timers;
    }

    /**
     * An idle connection, a new one, or the next one free once the address's limit is reached.
     * {@code gate} is asked just before a new connection is opened, so that an attempt which
     * waited for its turn while the destination was marked unavailable does not connect: it
     * fails with the gate's answer instead (null: go ahead). {@code counted}: whether a new
     * connection's session is counted for TLS-RPT (an idle one was counted when it was opened).
     */
    CompletableFuture<SmtpConnection> acquire(Target target, HostPolicy policy, String domain,
            Supplier<HopFailure> gate, boolean counted) {
        Key key = new Key(target, key(policy));
        CompletableFuture<SmtpConnection> result = new CompletableFuture<>();
        tryAcquire(key, policy, domain, gate, counted, result);
        return result;
    }

    private void tryAcquire(Key key, HostPolicy policy, String domain, Supplier<HopFailure> gate, boolean counted,
            CompletableFuture<SmtpConnection> result) {
        boolean openNew;
        synchronized (this) {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot());
            SmtpConnection idle;
            while ((idle = slot.idle.poll()) != null) {
                if (idle.usable()) {
                    result.complete(idle);
                    return;
                }
                slot.open--;
            }
            openNew = slot.open < settings.destinationConcurrency();
            if (openNew) {
                slot.open++;
            } else {
                slot.waiting.add(() -> tryAcquire(key, policy, domain, gate, counted, result));
                return;
            }
        }
        HopFailure refused = gate.get();
        if (refused != null) {
            result.completeExceptionally(refused);
            // Not in this frame: each waiter let in here may be refused too, and a long line of them
            // would otherwise stack up one frame each.
            timers.execute(() -> closed(key));
            return;
        }
        connector.open(key.target(), policy, domain, counted).whenComplete((connection, failure) -> {
            if (failure != null) {
                // The failure first: it may mark the destination before the next waiter is let in.
                result.completeExceptionally(failure);
                closed(key);
            } else {
                result.complete(connection);
            }
        });
    }

    /**
     * The pool a connection belongs to: its target, level and deciding policy, and whether the
     * relaxed list of TLS-Required: No decided it, so that such a connection (perhaps plaintext to
     * a DANE host) never carries a message held to the strict list (RFC 8689 4.2.2).
     */
    private static String key(HostPolicy policy) {
        return policy.level() + "/" + policy.decidedBy() + (policy.relaxed() ? "/relaxed" : "");
    }

    /** Returns a connection after a transaction: kept for the next message, or closed. */
    void release(SmtpConnection connection, HostPolicy policy, boolean reusable) {
        Key key = new Key(connection.target(), key(policy));
        Runnable next;
        boolean keep;
        synchronized (this) {
            keep = reusable && !closed && connection.usable()
                    && connection.messages() < settings.messagesPerConnection();
            Slot slot = slots.get(key);
            if (keep) {
                slot.idle.push(connection);
                timers.schedule(() -> expire(key, connection), settings.connectionIdleTime().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                slot.open--;
            }
            next = slot.waiting.poll();
        }
        if (!keep) {
            connection.quit();
        }
        if (next != null) {
            next.run();
        }
    }

    private void closed(Key key) {
        Runnable next;
        synchronized (this) {
            Slot slot = slots.get(key);
            slot.open--;
            next = slot.waiting.poll();
        }
        if (next != null) {
            next.run();
        }
    }

    private void expire(Key key, SmtpConnection connection) {
        boolean removed;
        synchronized (this) {
            Slot slot = slots.get(key);
            removed = slot.idle.remove(connection);
            if (removed) {
                slot.open--;
            }
        }
        if (removed) {
            connection.quit();
        }
    }

    /** Sends QUIT on every idle connection. */
    void close() {
        java.util.List<SmtpConnection> idle = new java.util.ArrayList<>();
        synchronized (this) {
            closed = true;
            slots.values().forEach(slot -> {
                idle.addAll(slot.idle);
                slot.idle.clear();
            });
        }
        idle.forEach(SmtpConnection::quit);
    }
}
