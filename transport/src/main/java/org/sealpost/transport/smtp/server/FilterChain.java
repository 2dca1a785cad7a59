package org.sealpost.transport.smtp.server;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;

/**
 * Several filters on one listener, in the order they act (on a submission listener: DKIM signing,
 * then ARC sealing). Each sees the whole content; the first refusal wins; the fields of a later
 * filter go on top of an earlier one's, as each hop puts its fields on top.
 */
public final class FilterChain implements MessageFilter {

    private final List<MessageFilter> filters;

    private FilterChain(List<MessageFilter> filters) {
        this.filters = filters;
    }

    /** The filters that are there (nulls left out) as one: null for none, the filter itself for one. */
    public static MessageFilter of(MessageFilter... filters) {
        List<MessageFilter> present = java.util.Arrays.stream(filters).filter(Objects::nonNull).toList();
        return present.isEmpty() ? null : present.size() == 1 ? present.get(0) : new FilterChain(present);
    }

    @Override
    public Transaction begin(InetAddress client, String helo, String sender) {
        List<Transaction> begun = filters.stream().map(f -> f.begin(client, helo, sender)).toList();
        return (queueId, envelope, authUser) -> new Chained(begun.stream().map(t -> t.start(queueId, envelope, authUser))
                .toList());
    }

    @Override
    public Run start(String queueId, Envelope envelope, String authUser) {
        return new Chained(filters.stream().map(f -> f.start(queueId, envelope, authUser)).toList());
    }

    private record Chained(List<Run> runs) implements Run {

        @Override
        public void accept(ByteBuffer content) {
            for (Run run : runs) {
                run.accept(content.duplicate());
            }
        }

        @Override
        public byte[] header(byte[] section) {
            byte[] result = section;
            for (Run run : runs) {
                result = run.header(result);
            }
            return result;
        }

        @Override
        public CompletableFuture<Outcome> finish() {
            List<CompletableFuture<Outcome>> all = runs.stream().map(Run::finish).toList();
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<String> prepend = new ArrayList<>();
                List<String> results = new ArrayList<>();
                for (CompletableFuture<Outcome> each : all) {
                    Outcome outcome = each.join();
                    if (outcome.refusal() != null) {
                        return outcome;
                    }
                    prepend.addAll(0, outcome.additions().prepend());
                    results.addAll(outcome.additions().results());
                }
                return Outcome.accept(new Additions(prepend, results));
            });
        }

        @Override
        public void queued() {
            runs.forEach(Run::queued);
        }
    }
}
