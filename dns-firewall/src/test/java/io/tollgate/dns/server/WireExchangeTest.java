package io.tollgate.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class WireExchangeTest {
    private static final InetSocketAddress RUNNER = new InetSocketAddress(InetAddress.ofLiteral("10.10.0.5"), 40053);
    private static final Name NAME = Name.fromConstantString("www.example.com.");
    private final AtomicInteger handled = new AtomicInteger();
    private final WireExchange exchange = new WireExchange((source, query, tcp) -> {
        handled.incrementAndGet();
        Message response = DnsResponses.withRcode(query, Rcode.NOERROR);
        response.addRecord(new ARecord(NAME, DClass.IN, 60, InetAddress.ofLiteral("192.0.2.1")), Section.ANSWER);
        return CompletableFuture.completedFuture(response);
    });

    @Test
    void wellFormedQueryIsAnsweredWithItsIdAndQuestion() throws Exception {
        Message query = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));

        Message response = answer(query.toWire()).orElseThrow();

        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void garbageWithAHeaderGetsFormerrWithTheSameId() throws Exception {
        byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 'b', 'r'};

        Message response = answer(garbage).orElseThrow();

        assertThat(response.getHeader().getID()).isEqualTo(0x1234);
        assertThat(response.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(handled).hasValue(0);
    }

    @Test
    void bytesTooShortForAHeaderAreDropped() throws Exception {
        assertThat(answer(new byte[] {1, 2, 3})).isEmpty();
    }

    @Test
    void responsesAreNeverAnswered() throws Exception {
        Message reflected = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
        reflected.getHeader().setFlag(Flags.QR);

        assertThat(answer(reflected.toWire())).isEmpty();
        assertThat(handled).hasValue(0);
    }

    @Test
    void otherOpcodesAreNotImplemented() throws Exception {
        Message update = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
        update.getHeader().setOpcode(Opcode.UPDATE);

        assertThat(answer(update.toWire()).orElseThrow().getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void queryWithoutQuestionIsFormerr() throws Exception {
        assertThat(answer(new Message().toWire()).orElseThrow().getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void unknownEdnsVersionGetsBadvers() throws Exception {
        Message query = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
        query.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

        Message response = answer(query.toWire()).orElseThrow();

        assertThat(response.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(handled).hasValue(0);
    }

    @Test
    void failingHandlerBecomesServfail() throws Exception {
        WireExchange failing = new WireExchange((source, query, tcp) -> {
            throw new IllegalStateException("boom");
        });
        Message query = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));

        byte[] wire = failing.answer(RUNNER, query.toWire(), false).toCompletableFuture().get().orElseThrow();

        assertThat(new Message(wire).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    private Optional<Message> answer(byte[] wire) throws Exception {
        Optional<byte[]> bytes = exchange.answer(RUNNER, wire, false).toCompletableFuture().get();
        return bytes.isEmpty() ? Optional.empty() : Optional.of(new Message(bytes.get()));
    }
}
