package dev.strata.storage.image.qcow2;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The L2 tables an image used last, by file offset, up to a fixed number of them, so a disk of any size costs a
 * bounded amount of memory; the least recently used table is dropped first (tables are written through, never dirty).
 */
final class Qcow2L2Cache {
    private final FileChannel ch;
    private final int entries;
    private final LinkedHashMap<Long, long[]> tables;
    /** The table used last: most accesses hit it, without a map lookup (and a boxed key). */
    private long lastOffset = -1;
    private long[] last;

    Qcow2L2Cache(FileChannel ch, int entriesPerTable, int capacity) {
        this.ch = ch;
        this.entries = entriesPerTable;
        this.tables = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The L2 table at {@code offset}, read from the file unless cached. */
    long[] get(long offset) throws IOException {
        if (offset == lastOffset) {
            return last;
        }
        long[] t = tables.get(offset);
        if (t == null) {
            t = Qcow2Tables.readLongs(ch, offset, entries);
            tables.put(offset, t);
        }
        lastOffset = offset;
        last = t;
        return t;
    }

    /** Caches a table the image has just written. */
    void put(long offset, long[] table) {
        tables.put(offset, table);
        lastOffset = offset;
        last = table;
    }

    int size() {
        return tables.size();
    }
}
