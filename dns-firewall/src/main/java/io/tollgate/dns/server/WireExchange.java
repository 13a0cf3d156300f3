package io.tollgate.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * One query's trip through the server, independent of the transport: parse the bytes with dnsjava, refuse what is
 * not a plain query, ask the {@link QueryHandler}, encode the answer. Completes with {@link Optional#empty()} when
 * nothing should be sent (bytes too short to carry an id, or a message that is itself a response).
 */
final class WireExchange {
    private static final Logger log = LoggerFactory.getLogger(WireExchange.class);
    private static final int HEADER_LENGTH = 12;
    private static final int BADVERS_HIGH_BITS = Rcode.BADVERS >>> 4;

    private final QueryHandler handler;

    WireExchange(QueryHandler handler) {
        this.handler = handler;
    }

    CompletionStage<Optional<byte[]>> answer(InetSocketAddress client, byte[] wire, boolean overTcp) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return done(formerrFor(wire));
        }
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            return done(Optional.empty());
        }
        if (header.getOpcode() != Opcode.QUERY) {
            return encoded(query, DnsResponses.withRcode(query, Rcode.NOTIMP), overTcp);
        }
        if (header.getCount(Section.QUESTION) != 1) {
            return encoded(query, DnsResponses.withRcode(query, Rcode.FORMERR), overTcp);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null && opt.getVersion() > 0) {
            Message badVersion = DnsResponses.withRcode(query, Rcode.NOERROR);
            badVersion.addRecord(new OPTRecord(ResponseEncoder.UDP_PAYLOAD, BADVERS_HIGH_BITS, 0, 0),
                    Section.ADDITIONAL);
            return encoded(query, badVersion, overTcp);
        }
        CompletionStage<Message> response;
        try {
            response = handler.handle(client, query, overTcp);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.handle((message, error) -> {
            if (error != null || message == null) {
                log.warn("DNS handler failed for {} from {}; answered SERVFAIL", query.getQuestion(),
                        client.getAddress().getHostAddress(), error);
                return DnsResponses.withRcode(query, Rcode.SERVFAIL);
            }
            message.getHeader().setID(header.getID());
            return message;
        }).thenApply(message -> Optional.of(ResponseEncoder.encode(query, message, overTcp)));
    }

    private static CompletionStage<Optional<byte[]>> encoded(Message query, Message response, boolean overTcp) {
        return done(Optional.of(ResponseEncoder.encode(query, response, overTcp)));
    }

    /** FORMERR echoing the id of an unparseable query, if it is long enough to have one and is not a response. */
    private static Optional<byte[]> formerrFor(byte[] wire) {
        if (wire.length < HEADER_LENGTH || (wire[2] & 0x80) != 0) {
            return Optional.empty();
        }
        Message formerr = new Message(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF));
        formerr.getHeader().setFlag(Flags.QR);
        formerr.getHeader().setRcode(Rcode.FORMERR);
        return Optional.of(formerr.toWire());
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
