package org.mxpolicy.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.mxpolicy.desired.Nameserver;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The authoritative servers of a configured zone: those configured, or its NS RRset's. */
public final class ZoneServers {

    private ZoneServers() {}

    public static List<NameServer> of(
            Name zone, List<Nameserver> nameservers, DnsLookup dns, AuthoritativeQuery authorities) {
        return authorities.servers(zone, configured(nameservers, dns));
    }

    /** Configured server addresses; host names are looked up (A and AAAA). */
    public static List<NameServer> configured(List<Nameserver> servers, DnsLookup dns) {
        List<NameServer> out = new ArrayList<>();
        for (Nameserver server : servers) {
            if (server.host().contains(":") || server.host().matches("[0-9.]+")) {
                out.add(new NameServer(server.host(), new InetSocketAddress(literal(server.host()), server.port())));
                continue;
            }
            for (int type : new int[] {Type.A, Type.AAAA}) {
                DnsAnswer answer = dns.lookup(Name.fromConstantString(server.host() + "."), type);
                for (Record r : answer.records()) {
                    InetAddress ip = r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress();
                    out.add(new NameServer(server.host(), new InetSocketAddress(ip, server.port())));
                }
            }
        }
        return out;
    }

    private static InetAddress literal(String host) {
        try {
            // an IP literal, checked by the config binder: no lookup happens
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + host, e);
        }
    }
}
