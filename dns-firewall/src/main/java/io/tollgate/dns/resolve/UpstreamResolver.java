package io.tollgate.dns.resolve;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/** Resolves a question with the configured upstream servers. */
public interface UpstreamResolver {
    /**
     * The upstream response to {@code name}/{@code type} (class IN); completes with a SERVFAIL response rather than
     * failing, and within a bounded time. Callers must not modify the returned message: it may be shared.
     */
    CompletionStage<Message> resolve(Name name, int type);
}
