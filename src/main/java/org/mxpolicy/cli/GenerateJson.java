package org.mxpolicy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.files.JsonLayout;
import org.mxpolicy.zone.RecordText;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * The JSON form of {@code generate}: zones with their records (owner, TTL, type, RDATA in
 * presentation form; TXT also as its plain value) and the MTA-STS policies, for tools that do not speak zone files.
 */
final class GenerateJson {

    private GenerateJson() {}

    static String render(List<ZoneFragment> zones, List<DomainPolicy> policies) {
        List<Map<String, Object>> zoneList = new ArrayList<>();
        for (ZoneFragment zone : zones) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (Record r : zone.records()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", RecordText.owner(r));
                m.put("ttl", r.getTTL());
                m.put("class", "IN");
                m.put("type", RecordText.type(r));
                m.put("data", RecordText.rdata(r));
                if (r instanceof TXTRecord txt) {
                    // The unquoted value, for DNS provider APIs that take TXT content as one string.
                    m.put("value", String.join("", txt.getStrings()));
                }
                records.add(m);
            }
            Map<String, Object> z = new LinkedHashMap<>();
            z.put("zone", zone.zone().toString());
            z.put("records", records);
            zoneList.add(z);
        }
        List<Map<String, Object>> policyList = new ArrayList<>();
        for (DomainPolicy p : policies) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", p.domain());
            m.put("url", "https://" + p.policyHost() + "/.well-known/mta-sts.txt");
            m.put("id", p.policy().id());
            m.put("policy", p.policy().text());
            policyList.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("zones", zoneList);
        root.put("mta_sts_policies", policyList);
        try {
            return JsonLayout.WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }
}
