package io.tollgate.dns.resolve;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Resolves a question with the configured upstream servers. */
public interface UpstreamResolver {
    /**
     * The upstream response to {@code name}/{@code type} (class IN); completes with a SERVFAIL response rather than
     * failing, and within a bounded time. Callers must not modify the returned message: it may be shared.
     */
    CompletionStage<Message> resolve(Name name, int type);

    /**
     * The answer section of {@link #resolve}'s response. A cache may hand out its stored records, whose TTLs are as
     * received rather than what remains of them: for callers that only ask what the answer says.
     */
    default CompletionStage<List<Record>> answers(Name name, int type) {
        return resolve(name, type).thenApply(response -> response.getSection(Section.ANSWER));
    }
}
