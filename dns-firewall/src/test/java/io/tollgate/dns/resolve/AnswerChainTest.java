package io.tollgate.dns.resolve;

import static io.tollgate.dns.resolve.Answers.name;
import static io.tollgate.dns.resolve.Answers.response;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class AnswerChainTest {
    @Test
    void followsCnamesToTheAddressesAtTheEnd() {
        AnswerChain chain = AnswerChain.follow(name("github.com"), response("github.com", Type.A, Rcode.NOERROR,
                "github.com. 60 CNAME Edge.Example.NET.",
                "edge.example.net. 30 CNAME pop.example.net.",
                "pop.example.net. 20 A 192.0.2.7",
                "pop.example.net. 25 A 192.0.2.8"));

        assertThat(chain.cnames()).containsExactly("edge.example.net", "pop.example.net");
        assertThat(chain.addresses()).containsExactly(
                new AnswerChain.Address(InetAddress.ofLiteral("192.0.2.7"), 20),
                new AnswerChain.Address(InetAddress.ofLiteral("192.0.2.8"), 25));
    }

    @Test
    void aaaaAnswersCountLikeA() {
        AnswerChain chain = AnswerChain.follow(name("github.com"), response("github.com", Type.AAAA, Rcode.NOERROR,
                "github.com. 60 AAAA 2001:db8::7"));

        assertThat(chain.addressList()).containsExactly(InetAddress.ofLiteral("2001:db8::7"));
    }

    @Test
    void recordsOffTheChainAreIgnored() {
        AnswerChain chain = AnswerChain.follow(name("github.com"), response("github.com", Type.A, Rcode.NOERROR,
                "github.com. 60 A 192.0.2.1",
                "bank.example. 60 A 198.51.100.1"));

        assertThat(chain.addressList()).containsExactly(InetAddress.ofLiteral("192.0.2.1"));
    }

    @Test
    void cnameLoopEnds() {
        AnswerChain chain = AnswerChain.follow(name("a.example"), response("a.example", Type.A, Rcode.NOERROR,
                "a.example. 60 CNAME b.example.",
                "b.example. 60 CNAME a.example."));

        assertThat(chain.cnames()).containsExactly("b.example");
        assertThat(chain.addresses()).isEmpty();
    }
}
