package org.sealpost.transport.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A deliverer double: answers each recipient as the test says, records every attempt. */
final class ScriptedDeliverer implements Deliverer {

    record Call(String queueId, String domain, List<String> recipients, String content, long at, List<String> results) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    volatile Function<Recipient, DeliveryStatus> script = r -> DeliveryStatus.DELIVERED;
    volatile long holdMillis;

    @Override
    public CompletableFuture<List<RecipientResult>> deliver(QueuedMessage message, String domain, List<Recipient> recipients) {
        String content;
        try (InputStream in = message.openContent()) {
            content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        calls.add(new Call(message.queueId(), domain, recipients.stream().map(Recipient::address).toList(), content,
                System.nanoTime(), message.results()));
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(holdMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return recipients.stream().map(r -> {
                DeliveryStatus status = script.apply(r);
                String code = status == DeliveryStatus.DELIVERED ? "2.0.0" : status == DeliveryStatus.DEFERRED ? "4.4.1" : "5.1.1";
                String text = status == DeliveryStatus.BOUNCED ? "550 5.1.1 <" + r.address() + ">: no such user"
                        : status == DeliveryStatus.DEFERRED ? "connect to mx.example.net[192.0.2.7]:25: Connection refused"
                        : "250 2.0.0 Ok";
                return new RecipientResult(r, status, code, text, "mx.example.net", status != DeliveryStatus.DEFERRED);
            }).toList();
        });
    }

    long callsFor(String address) {
        return calls.stream().filter(c -> c.recipients().contains(address)).count();
    }
}
