package org.mxpolicy.config;

import java.util.List;

/** Binds {@code ownership}: the owner id of the ownership markers and the deletion share rule. */
final class OwnershipBinder extends SectionBinder {

    static final String OWNER_ID = "ownership.owner-id";
    static final String SHARE = "ownership.share";

    private static final List<String> KEYS = List.of("owner_id", "max_deletion_percent", "min_owned");

    OwnershipBinder(SectionBinder config) {
        super(config);
    }

    OwnershipSettings ownership(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'ownership'", "a map such as { owner_id: mail-1 }", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'ownership'", KEYS);
        OwnershipSettings defaults = OwnershipSettings.defaults();
        String ownerId = optional(keys.get("owner_id"), e -> string(e.value(), "'owner_id'"), defaults.ownerId());
        if (ownerId != null && !OwnershipSettings.OWNER_ID.matcher(ownerId).matches()) {
            error(
                    OWNER_ID,
                    keys.get("owner_id").value().position(),
                    "'owner_id' must be 1 to 63 letters, digits, '.', '-' or '_', found " + Quoting.quote(ownerId));
            ownerId = null;
        }
        Long percent = optional(
                keys.get("max_deletion_percent"), e -> integer(e, SHARE, 0, 100, "a percentage from 0 to 100"), (long)
                        defaults.maxDeletionPercent());
        Long minOwned =
                optional(keys.get("min_owned"), e -> integer(e, SHARE, 0, Integer.MAX_VALUE, "0 or more"), (long)
                        defaults.minOwned());
        if (ownerId == null || percent == null || minOwned == null) {
            return null;
        }
        return new OwnershipSettings(ownerId, percent.intValue(), minOwned.intValue(), entry.keyPosition());
    }
}
