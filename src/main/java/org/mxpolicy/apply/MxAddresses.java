package org.mxpolicy.apply;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.probe.ConnectOverrides;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Where an MX is reached: its addresses from validated DNS (A and AAAA), or its --connect target. */
public final class MxAddresses {

    private final DnsLookup dns;
    private final ConnectOverrides overrides;

    public MxAddresses(DnsLookup dns, ConnectOverrides overrides) {
        this.dns = dns;
        this.overrides = overrides;
    }

    public List<InetSocketAddress> of(MxHost mx) {
        Optional<InetSocketAddress> override = overrides.lookup(mx.host(), mx.port());
        if (override.isPresent()) {
            return List.of(override.get());
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            for (Record r :
                    dns.lookup(Name.fromConstantString(mx.host() + "."), type).records()) {
                InetAddress ip = r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress();
                addresses.add(new InetSocketAddress(ip, mx.port()));
            }
        }
        return addresses;
    }
}
