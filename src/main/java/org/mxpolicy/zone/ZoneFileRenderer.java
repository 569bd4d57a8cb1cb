package org.mxpolicy.zone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Record;

/**
 * Renders zone fragments as RFC 1035 master-file text ({@code zone-fragment.ftl}) and as
 * {@code nsupdate} scripts for RFC 2136 ({@code nsupdate.ftl}).
 */
public final class ZoneFileRenderer {

    private ZoneFileRenderer() {}

    /**
     * A zone fragment: absolute owner names, so it can be included ({@code $INCLUDE}) anywhere
     * in the zone's master file, columns aligned for reading.
     *
     * @param generatedFrom the config's file name, named in the header comment
     */
    public static String zoneFragment(ZoneFragment fragment, String generatedFrom) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("zone", fragment.zone().toString());
        model.put("source", generatedFrom);
        int ownerWidth = 0;
        int ttlWidth = 0;
        int typeWidth = 0;
        for (Record r : fragment.records()) {
            ownerWidth = Math.max(ownerWidth, RecordText.owner(r).length());
            ttlWidth = Math.max(ttlWidth, Long.toString(r.getTTL()).length());
            typeWidth = Math.max(typeWidth, RecordText.type(r).length());
        }
        model.put("ownerWidth", ownerWidth);
        model.put("ttlWidth", ttlWidth);
        model.put("typeWidth", typeWidth);
        model.put(
                "records",
                fragment.records().stream().map(ZoneFileRenderer::recordModel).toList());
        return Templates.render("zone-fragment.ftl", model);
    }

    /**
     * An nsupdate script: per zone, each owned RRset deleted and added again in one update
     * message, so the server replaces the RRset atomically (RFC 2136 section 3.4.2.7: the
     * prerequisite-free update is applied as a whole or not at all).
     */
    public static String nsupdate(List<ZoneFragment> fragments, String generatedFrom) {
        List<Map<String, Object>> zones = new ArrayList<>();
        for (ZoneFragment fragment : fragments) {
            List<Map<String, Object>> rrsets = new ArrayList<>();
            for (List<Record> rrset : fragment.rrsets()) {
                Record first = rrset.get(0);
                Map<String, Object> set = new LinkedHashMap<>();
                set.put("owner", RecordText.owner(first));
                set.put("type", RecordText.type(first));
                set.put(
                        "records",
                        rrset.stream().map(ZoneFileRenderer::recordModel).toList());
                rrsets.add(set);
            }
            Map<String, Object> zone = new LinkedHashMap<>();
            zone.put("zone", fragment.zone().toString());
            zone.put("rrsets", rrsets);
            zones.add(zone);
        }
        return Templates.render("nsupdate.ftl", Map.of("zones", zones, "source", generatedFrom));
    }

    private static Map<String, Object> recordModel(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("owner", RecordText.owner(r));
        m.put("ttl", Long.toString(r.getTTL()));
        m.put("type", RecordText.type(r));
        m.put("rdata", RecordText.rdata(r));
        m.put("line", RecordText.line(r));
        return m;
    }
}
