package io.tollgate.dns.server;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** Answers one well-formed query (one question, opcode QUERY). */
public interface QueryHandler {
    /**
     * @param client the client's address (the runner, which identifies the job) and port
     * @param overTcp whether the query arrived over TCP (no size limit on the answer)
     * @return the response; its id, question and EDNS are fixed up by the server, so a handler only fills in the
     *     rcode and the sections
     */
    CompletionStage<Message> handle(InetSocketAddress client, Message query, boolean overTcp);
}
