package dev.strata.storage.chain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache, least recently used out, of the per-sector server tables of a chain's mixed units (units whose
 * sectors come from different layers); the last unit asked for is answered without a map lookup.
 */
final class MixedUnits {
    /** 256 tables: 2 MiB of them for 2 MiB units (a VHD's blocks), more than a read-heavy working set needs. */
    private static final int MAX_UNITS = 256;

    private final LinkedHashMap<Integer, short[]> tables = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, short[]> eldest) {
            return size() > MAX_UNITS;
        }
    };
    private int lastUnit = -1;
    private short[] lastTable;

    /** The table of {@code unit}, or null when it is not cached. */
    short[] get(int unit) {
        if (unit == lastUnit) {
            return lastTable;
        }
        short[] t = tables.get(unit);
        if (t != null) {
            lastUnit = unit;
            lastTable = t;
        }
        return t;
    }

    void put(int unit, short[] table) {
        tables.put(unit, table);
        lastUnit = unit;
        lastTable = table;
    }

    /** Forgets the units from {@code from} up to but not including {@code to}, whose servers changed. */
    void drop(int from, int to) {
        if (tables.isEmpty()) {
            return;
        }
        if (lastUnit >= from && lastUnit < to) {
            lastUnit = -1;
            lastTable = null;
        }
        if (to - from > tables.size()) {
            tables.keySet().removeIf(u -> u >= from && u < to);
        } else {
            for (int u = from; u < to; u++) {
                tables.remove(u);
            }
        }
    }

    void clear() {
        tables.clear();
        lastUnit = -1;
        lastTable = null;
    }
}
