package org.sealpost.signing.spf;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.dnssec.MxRecord;

/** {@link SpfDns} over a {@link DnsResolver}: SPF needs the outcome and records, not the DNSSEC status. */
final class ResolverSpfDns implements SpfDns {

    private final DnsResolver resolver;

    ResolverSpfDns(DnsResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public CompletableFuture<Answer<String>> txt(String name) {
        return resolver.txt(name).thenApply(answer -> convert(answer, Function.identity()));
    }

    @Override
    public CompletableFuture<Answer<InetAddress>> a(String name) {
        return resolver.a(name).thenApply(answer -> convert(answer, Function.identity()));
    }

    @Override
    public CompletableFuture<Answer<InetAddress>> aaaa(String name) {
        return resolver.aaaa(name).thenApply(answer -> convert(answer, Function.identity()));
    }

    @Override
    public CompletableFuture<Answer<String>> mx(String name) {
        return resolver.mx(name).thenApply(answer -> convert(answer, MxRecord::host));
    }

    @Override
    public CompletableFuture<Answer<String>> ptr(String name) {
        return resolver.ptr(name).thenApply(answer -> convert(answer, Function.identity()));
    }

    /** A BOGUS answer arrives as SERVFAIL from the resolver, which is a temperror here too. */
    private static <T, R> Answer<R> convert(DnsAnswer<T> answer, Function<T, R> record) {
        return answer.found() ? Answer.found(answer.records().stream().map(record).toList())
                : Answer.failed(answer.outcome(), answer.reason());
    }
}
