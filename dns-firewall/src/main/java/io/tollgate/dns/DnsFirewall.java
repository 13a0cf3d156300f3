package io.tollgate.dns;

import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.dns.decide.DnsDecision;
import io.tollgate.dns.decide.DnsQueryDecider;
import io.tollgate.dns.decide.DnsReason;
import io.tollgate.dns.decide.DnsVerdict;
import io.tollgate.dns.resolve.AnswerChain;
import io.tollgate.dns.resolve.UpstreamResolver;
import io.tollgate.dns.server.DnsResponses;
import io.tollgate.dns.server.QueryHandler;
import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyLookup;
import io.tollgate.policy.ioc.IocList;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The runners' DNS: rate-limits each runner, decides every query with {@link DnsQueryDecider}, answers blocked names
 * NXDOMAIN without asking upstream, resolves the rest, records the addresses of allowed names as the runner's
 * bindings and reports every query as one {@link DnsQueryEvent}. Never fails: errors become SERVFAIL with an event.
 */
public final class DnsFirewall implements QueryHandler {
    private static final Logger log = LoggerFactory.getLogger(DnsFirewall.class);

    private final Supplier<? extends PolicyLookup> policies;
    private final Supplier<IocList> ioc;
    private final UpstreamResolver upstream;
    private final DnsBindingTable bindings;
    private final SourceRateLimiter rateLimiter;
    private final RateLimits rateLimits;
    private final Consumer<DnsQueryEvent> events;
    private final Clock clock;

    /** The facts every event of one query shares. */
    private record Query(Instant at, InetAddress source, int udpSourcePort, Message message, Name name, String qname,
            String qtype, Optional<CompiledPolicy> policy) {
        Query withPolicy(Optional<CompiledPolicy> covering) {
            return new Query(at, source, udpSourcePort, message, name, qname, qtype, covering);
        }
    }

    public DnsFirewall(Supplier<? extends PolicyLookup> policies, Supplier<IocList> ioc, UpstreamResolver upstream,
            DnsBindingTable bindings, RateLimits rateLimits, Consumer<DnsQueryEvent> events, Clock clock) {
        this.policies = policies;
        this.ioc = ioc;
        this.upstream = upstream;
        this.bindings = bindings;
        this.rateLimiter = new SourceRateLimiter(rateLimits, clock);
        this.rateLimits = rateLimits;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Message> handle(InetSocketAddress client, Message message, boolean overTcp) {
        Record question = message.getQuestion();
        if (question == null) {
            return CompletableFuture.completedFuture(DnsResponses.withRcode(message, Rcode.FORMERR));
        }
        Query query = new Query(clock.instant(), client.getAddress(), overTcp ? 0 : client.getPort(), message,
                question.getName(),
                question.getName().toString(true).toLowerCase(Locale.ROOT), Type.string(question.getType()),
                Optional.empty());
        try {
            return decideAndAnswer(query, question.getType());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(query, null, e));
        }
    }

    private CompletionStage<Message> decideAndAnswer(Query unscoped, int qtype) {
        // Rate limiting comes first, so a flooding runner costs one bucket lookup per query and nothing more.
        SourceRateLimiter.Admission admission = rateLimiter.admit(unscoped.source());
        if (!admission.admitted()) {
            if (admission.report()) {
                emit(unscoped, new DnsDecision(DnsVerdict.BLOCK, DnsReason.RATE_LIMIT, false, List.of(),
                        "runner " + unscoped.source().getHostAddress() + " sends more than "
                                + rateLimits.queriesPerSecond() + " DNS queries per second (burst "
                                + rateLimits.burst() + "); its queries are REFUSED and reported once per second ("
                                + admission.refusedSinceReport() + " more refused since the last report)"),
                        List.of());
            }
            return CompletableFuture.completedFuture(DnsResponses.withRcode(unscoped.message(), Rcode.REFUSED));
        }
        IocList iocList = ioc.get();
        Optional<CompiledPolicy> policy = policies.get().forSource(unscoped.source());
        Query query = unscoped.withPolicy(policy);
        DnsDecision decision = DnsQueryDecider.decide(query.source(), query.qname(), qtype, policy, iocList);
        if (!decision.resolveUpstream()) {
            emit(query, decision, List.of());
            return CompletableFuture.completedFuture(DnsResponses.withRcode(query.message(), Rcode.NXDOMAIN));
        }
        return upstream.resolve(query.name(), qtype).handle((response, error) -> {
            try {
                if (error != null || response == null || response.getRcode() == Rcode.SERVFAIL) {
                    return CompletableFuture.completedFuture(failed(query, decision, error));
                }
                return answered(query, decision, response, iocList);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(failed(query, decision, e));
            }
        }).thenCompose(answer -> answer);
    }

    /**
     * The answer is sent once its bindings are shared with the other nodes (bounded by the binding replica), so a
     * runner that connects through another node right after the answer finds its binding there.
     */
    private CompletionStage<Message> answered(Query query, DnsDecision decision, Message response, IocList iocList) {
        AnswerChain chain = AnswerChain.follow(query.name(), response);
        DnsDecision judged = DnsQueryDecider.judgeAnswer(decision, chain.cnames(), chain.addressList(), iocList);
        if (!judged.resolveUpstream()) {
            emit(query, judged, List.of());
            return CompletableFuture.completedFuture(DnsResponses.withRcode(query.message(), Rcode.NXDOMAIN));
        }
        List<CompletableFuture<Void>> shared = new ArrayList<>();
        if (judged.verdict() == DnsVerdict.ALLOW) {
            for (AnswerChain.Address address : chain.addresses()) {
                shared.add(bindings.bind(query.source(), query.qname(), address.address(), address.ttlSeconds())
                        .toCompletableFuture());
            }
        }
        emit(query, judged, describe(response.getSection(Section.ANSWER)));
        Message answer = DnsResponses.relayed(query.message(), response);
        return shared.isEmpty() ? CompletableFuture.completedFuture(answer)
                : CompletableFuture.allOf(shared.toArray(CompletableFuture[]::new)).handle((done, e) -> answer);
    }

    private Message failed(Query query, DnsDecision decision, Throwable error) {
        String cause = error == null ? "the upstream DNS servers answered SERVFAIL or did not answer"
                : "error: " + error;
        if (error != null) {
            log.warn("DNS query {} {} from {} failed; answered SERVFAIL", query.qname(), query.qtype(),
                    query.source().getHostAddress(), error);
        }
        DnsDecision failure = decision == null
                ? new DnsDecision(DnsVerdict.BLOCK, DnsReason.ERROR, false, List.of(), cause)
                : new DnsDecision(decision.verdict(), decision.reason(), decision.resolveUpstream(), decision.flags(),
                        decision.explanation() + "; answered SERVFAIL: " + cause);
        emit(query, failure, List.of());
        return DnsResponses.withRcode(query.message(), Rcode.SERVFAIL);
    }

    private void emit(Query query, DnsDecision decision, List<String> answers) {
        DnsQueryEvent event = new DnsQueryEvent(query.at(), query.source(), query.udpSourcePort(), query.qname(),
                query.qtype(),
                decision.verdict(), decision.reason(), answers,
                query.policy().map(CompiledPolicy::name).orElse(null),
                query.policy().map(CompiledPolicy::version).orElse(null),
                decision.flags(), decision.explanation());
        try {
            events.accept(event);
        } catch (RuntimeException e) {
            log.warn("could not record the DNS event {}", event, e);
        }
    }

    private static List<String> describe(List<Record> answers) {
        return answers.stream().map(record -> switch (record) {
            case ARecord a -> a.getAddress().getHostAddress();
            case AAAARecord aaaa -> aaaa.getAddress().getHostAddress();
            default -> Type.string(record.getType()) + " " + record.rdataToString();
        }).toList();
    }
}
