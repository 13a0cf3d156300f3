package io.tollgate.gateway.node;

import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.dns.resolve.UpstreamResolver;
import io.tollgate.gateway.decide.DestinationNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** DNS evidence for the data path: the dns-firewall's bindings, and the gateway's own (cached) resolution. */
final class DnsDestinationNames implements DestinationNames {
    private final DnsBindingTable bindings;
    private final UpstreamResolver resolver;

    DnsDestinationNames(DnsBindingTable bindings, UpstreamResolver resolver) {
        this.bindings = bindings;
        this.resolver = resolver;
    }

    @Override
    public CompletionStage<Set<String>> boundNames(InetAddress source, InetAddress destination, String name) {
        return bindings.lookup(source, destination, name).exceptionally(failure -> Set.of());
    }

    @Override
    public CompletionStage<Boolean> resolvesTo(String name, InetAddress destination) {
        Name query;
        try {
            query = Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        int type = destination instanceof Inet4Address ? Type.A : Type.AAAA;
        return resolver.answers(query, type)
                .thenApply(answers -> contains(answers, destination))
                .exceptionally(failure -> false);
    }

    private static boolean contains(List<Record> answers, InetAddress destination) {
        for (Record r : answers) {
            InetAddress address = r instanceof ARecord a ? a.getAddress()
                    : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
            if (destination.equals(address)) {
                return true;
            }
        }
        return false;
    }
}
