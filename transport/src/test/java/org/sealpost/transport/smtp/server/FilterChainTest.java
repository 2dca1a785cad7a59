package org.sealpost.transport.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;

/** Filters in a row: each sees everything, later fields go on top, the first refusal wins. */
class FilterChainTest {

    /** Prepends "X-Name: <the content it saw>", or refuses with {@code refusal}. */
    private record Echo(String name, String refusal) implements MessageFilter {
        @Override
        public Run start(String queueId, Envelope envelope, String authUser) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            return new Run() {
                @Override
                public void accept(ByteBuffer content) {
                    while (content.hasRemaining()) {
                        seen.write(content.get());
                    }
                }

                @Override
                public CompletableFuture<Outcome> finish() {
                    return CompletableFuture.completedFuture(refusal != null ? Outcome.refuse(refusal)
                            : Outcome.accept(new Additions(List.of("X-" + name + ": " + seen.toString(StandardCharsets.UTF_8)
                                    .strip() + "\r\n"), List.of(name))));
                }
            };
        }
    }

    private static MessageFilter.Outcome run(MessageFilter filter) {
        MessageFilter.Run run = filter.begin(null, "client.example", "a@example.org").start("Q1", null, "");
        run.accept(ByteBuffer.wrap("one ".getBytes(StandardCharsets.UTF_8)));
        run.accept(ByteBuffer.wrap("two".getBytes(StandardCharsets.UTF_8)));
        return run.finish().join();
    }

    @Test
    void laterFiltersFields_goOnTop_andEachSawTheWholeContent() {
        MessageFilter.Outcome outcome = run(FilterChain.of(new Echo("Dkim", null), null, new Echo("Arc", null)));
        assertNull(outcome.refusal());
        assertEquals(List.of("X-Arc: one two\r\n", "X-Dkim: one two\r\n"), outcome.additions().prepend());
        assertEquals(List.of("Dkim", "Arc"), outcome.additions().results());
    }

    @Test
    void aRefusal_wins() {
        MessageFilter.Outcome outcome = run(FilterChain.of(new Echo("Dkim", "550 5.7.1 no"), new Echo("Arc", null)));
        assertEquals("550 5.7.1 no", outcome.refusal());
    }

    @Test
    void queued_isPassedToEveryFilter() {
        List<String> told = new java.util.ArrayList<>();
        MessageFilter first = (queueId, envelope, authUser) -> new Told("first", told);
        MessageFilter second = (queueId, envelope, authUser) -> new Told("second", told);
        MessageFilter.Run run = FilterChain.of(first, second).start("Q1", null, "");
        run.finish().join();
        run.queued();
        assertEquals(List.of("first", "second"), told);
    }

    /** Accepts, and notes its name when told the message is queued. */
    private record Told(String name, List<String> told) implements MessageFilter.Run {
        @Override
        public void accept(ByteBuffer content) {
        }

        @Override
        public CompletableFuture<MessageFilter.Outcome> finish() {
            return CompletableFuture.completedFuture(MessageFilter.Outcome.accept(Additions.NONE));
        }

        @Override
        public void queued() {
            told.add(name);
        }
    }

    @Test
    void noneOrOneFilter_isNoChain() {
        MessageFilter one = new Echo("Dkim", null);
        assertNull(FilterChain.of(null, null));
        assertSame(one, FilterChain.of(null, one));
    }
}
