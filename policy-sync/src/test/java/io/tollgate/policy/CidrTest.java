package io.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void ipv4NetworkContainsItsAddressesOnly() throws PolicyException {
        Cidr cidr = Cidr.parse("10.1.0.0/16");
        assertThat(cidr.contains(InetAddresses.forString("10.1.255.7"))).isTrue();
        assertThat(cidr.contains(InetAddresses.forString("10.2.0.1"))).isFalse();
        assertThat(cidr.contains(InetAddresses.forString("::a01:1"))).isFalse();
        assertThat(cidr).hasToString("10.1.0.0/16");
    }

    @Test
    void ipv6NetworkContainsItsAddressesOnly() throws PolicyException {
        Cidr cidr = Cidr.parse("2001:db8:80::/41");
        assertThat(cidr.contains(InetAddresses.forString("2001:db8:ff::1"))).isTrue();
        assertThat(cidr.contains(InetAddresses.forString("2001:db8:100::1"))).isFalse();
        assertThat(cidr.contains(InetAddresses.forString("10.0.0.1"))).isFalse();
        assertThat(cidr).hasToString("2001:db8:80::/41");
    }

    @Test
    void bareAddressIsAFullLengthNetwork() throws PolicyException {
        assertThat(Cidr.parse("203.0.113.7").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("2001:db8::1").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddresses.forString("8.8.8.8"))).isTrue();
    }

    @Test
    void rejectsHostBitsAndSaysWhichNetworkWasMeant() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/16")).isInstanceOf(PolicyException.class)
                .hasMessage("host bits set: '10.1.2.3/16' has bits beyond the /16 prefix; did you mean 10.1.0.0/16?");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/32")).hasMessageContaining("did you mean 2001:db8::/32");
    }

    @Test
    void constructorRefusesHostBitsToo() {
        assertThatThrownBy(() -> new Cidr(InetAddresses.forString("10.0.0.1"), 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits set");
    }

    @Test
    void rejectsBadPrefixesAndNames() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("exceeds 32 bits");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Cidr.parse("localhost/8")).hasMessageContaining("not an IPv4 or IPv6 address");
    }
}
