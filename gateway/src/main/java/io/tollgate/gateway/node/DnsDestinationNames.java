package io.tollgate.gateway.node;

import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.dns.resolve.UpstreamResolver;
import io.tollgate.gateway.decide.DestinationNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** DNS evidence for the data path: the dns-firewall's bindings, and the gateway's own (cached) resolution. */
final class DnsDestinationNames implements DestinationNames {
    /** Parsed names kept; emptied when full, since the names under an allowed wildcard are the runners' to vary. */
    private static final int PARSED_NAMES = 4096;

    private final DnsBindingTable bindings;
    private final UpstreamResolver resolver;
    private final ConcurrentHashMap<String, Name> parsed = new ConcurrentHashMap<>();

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
            query = parse(name);
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(false);
        }
        int type = destination instanceof Inet4Address ? Type.A : Type.AAAA;
        CompletableFuture<List<Record>> answers = resolver.answers(query, type).toCompletableFuture();
        if (answers.isDone() && !answers.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(contains(answers.join(), destination)); // cached: no stages
        }
        return answers.thenApply(records -> contains(records, destination)).exceptionally(failure -> false);
    }

    /** The same few names come with every connection: each is parsed once (dnsjava's parser allocates per call). */
    private Name parse(String name) throws TextParseException {
        Name known = parsed.get(name);
        if (known != null) {
            return known;
        }
        Name fresh = Name.fromString(name, Name.root);
        if (parsed.size() >= PARSED_NAMES) {
            parsed.clear();
        }
        parsed.put(name, fresh);
        return fresh;
    }

    /**
     * Compares the records' address bytes: {@code ARecord.getAddress()} names the {@code InetAddress} it returns,
     * formatting the record's owner name for every record of every connection.
     */
    private static boolean contains(List<Record> answers, InetAddress destination) {
        byte[] wanted = destination.getAddress();
        for (Record r : answers) {
            if ((r instanceof ARecord || r instanceof AAAARecord) && Arrays.equals(r.rdataToWireCanonical(), wanted)) {
                return true;
            }
        }
        return false;
    }
}
