package dev.strata.emulator.cpu.trace;

import java.io.IOException;
import java.io.Writer;

/**
 * Keeps the last N records in memory, compactly (about 50 bytes each: parallel arrays for the fixed fields and a
 * second ring for the changed registers), and writes them out as lines only when flushed: at the end of a run or
 * at a triple fault. Formatting millions of lines that nobody reads is what makes a full trace slow; this keeps
 * the cost per instruction to a few array stores. The arrays grow as records come, up to N.
 */
public final class RingTraceLog implements TraceLog {

    private static final int FIRST_CAPACITY = 1 << 12;

    private final Writer out;
    private int limit;
    private int capacity;
    private long[] counts;
    /** CS selector in bits 0-15, kind in 16-18, mode in 19-21, code length in 22-26. */
    private int[] info;
    private int[] eips;
    /** Instruction bytes 0-7 and 8-15; for an interrupt the vector and error code, and CR2. */
    private long[] code0;
    private long[] code1;
    private int[] masks;
    private int head;
    private int size;
    /** Changed registers, in record order and register order within a record: before in the high half. */
    private long[] pool;
    private int poolHead;
    private int poolSize;
    private long dropped;
    private String memoryNote;

    /** @param limit how many records to keep (the most recent ones) */
    public RingTraceLog(int limit, Writer out) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a trace ring must keep at least one record, not " + limit);
        }
        this.limit = limit;
        this.out = out;
        allocate(Math.min(limit, FIRST_CAPACITY));
        pool = new long[capacity * 2];
    }

    /** Records held now. */
    public int size() {
        return size;
    }

    @Override
    public void append(TraceEntry e) {
        int n = Integer.bitCount(e.changed);
        if (poolSize + n > pool.length) {
            growPool(poolSize + n);
        }
        if (size == capacity) {
            if (capacity < limit) {
                grow();
            }
            if (size == capacity) {
                evict();
            }
        }
        int i = head + size;
        if (i >= capacity) {
            i -= capacity;
        }
        counts[i] = e.count;
        eips[i] = e.eip;
        info[i] = (e.cs & 0xFFFF) | e.kind << 16 | e.mode << 19 | e.codeLength << 22;
        if (e.isInstruction()) {
            code0[i] = e.codeLow;
            code1[i] = e.codeHigh;
        } else {
            code0[i] = (e.vector & 0xFFL) | (long) e.errorCode << 32;
            code1[i] = e.cr2;
        }
        masks[i] = e.changed;
        size++;
        if (n > 0) {
            int mask = e.changed;
            int p = poolHead + poolSize;
            while (mask != 0) {
                int k = Integer.numberOfTrailingZeros(mask);
                mask &= mask - 1;
                if (p >= pool.length) {
                    p -= pool.length;
                }
                pool[p++] = (long) e.before[k] << 32 | (e.after[k] & 0xFFFFFFFFL);
            }
            poolSize += n;
        }
    }

    @Override
    public void flush(String why) throws IOException {
        StringBuilder line = new StringBuilder(256);
        line.append("# ").append(why).append(": the last ").append(size).append(size == 1 ? " record" : " records");
        if (dropped > 0) {
            line.append(" (").append(dropped).append(" earlier ones not kept)");
        }
        if (memoryNote != null) {
            line.append("; ").append(memoryNote);
        }
        out.append(line).append('\n');
        TraceEntry e = new TraceEntry();
        int p = poolHead;
        for (int n = 0, i = head; n < size; n++, i = i + 1 == capacity ? 0 : i + 1) {
            e.count = counts[i];
            e.eip = eips[i];
            e.cs = info[i] & 0xFFFF;
            e.kind = (info[i] >>> 16) & 7;
            e.mode = (info[i] >>> 19) & 7;
            e.codeLength = (info[i] >>> 22) & 0x1F;
            if (e.isInstruction()) {
                e.codeLow = code0[i];
                e.codeHigh = code1[i];
            } else {
                e.vector = (int) (code0[i] & 0xFF);
                e.errorCode = (int) (code0[i] >> 32);
                e.cr2 = (int) code1[i];
            }
            e.changed = masks[i];
            int mask = masks[i];
            while (mask != 0) {
                int k = Integer.numberOfTrailingZeros(mask);
                mask &= mask - 1;
                if (p >= pool.length) {
                    p -= pool.length;
                }
                long v = pool[p++];
                e.before[k] = (int) (v >>> 32);
                e.after[k] = (int) v;
            }
            line.setLength(0);
            TraceFormat.append(e, line);
            out.append(line).append('\n');
        }
        out.flush();
        head = 0;
        size = 0;
        poolHead = 0;
        poolSize = 0;
        dropped = 0;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void evict() {
        int n = Integer.bitCount(masks[head]);
        poolHead += n;
        if (poolHead >= pool.length) {
            poolHead -= pool.length;
        }
        poolSize -= n;
        head = head + 1 == capacity ? 0 : head + 1;
        size--;
        dropped++;
    }

    /** Doubles the record arrays (up to the limit); when memory runs out, keeps what it has as the limit. */
    private void grow() {
        long[] oldCounts = counts;
        int[] oldInfo = info;
        int[] oldEips = eips;
        long[] oldCode0 = code0;
        long[] oldCode1 = code1;
        int[] oldMasks = masks;
        int oldCapacity = capacity;
        try {
            allocate((int) Math.min(limit, 2L * capacity));
        } catch (OutOfMemoryError e) {
            counts = oldCounts;
            info = oldInfo;
            eips = oldEips;
            code0 = oldCode0;
            code1 = oldCode1;
            masks = oldMasks;
            capacity = oldCapacity;
            memoryNote = "Java's heap ran out at " + capacity + " records (give it more, e.g."
                    + " STRATA_JAVA_OPTS=-Xmx8g)";
            limit = capacity;
            return;
        }
        for (int n = 0, i = head; n < size; n++, i = i + 1 == oldCapacity ? 0 : i + 1) {
            counts[n] = oldCounts[i];
            info[n] = oldInfo[i];
            eips[n] = oldEips[i];
            code0[n] = oldCode0[i];
            code1[n] = oldCode1[i];
            masks[n] = oldMasks[i];
        }
        head = 0;
    }

    private void allocate(int records) {
        counts = new long[records];
        info = new int[records];
        eips = new int[records];
        code0 = new long[records];
        code1 = new long[records];
        masks = new int[records];
        capacity = records;
    }

    /** Makes room for {@code needed} changed registers: a bigger pool, or when memory runs out, fewer records. */
    private void growPool(int needed) {
        int more = needed - poolSize;
        long[] bigger;
        try {
            bigger = new long[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * pool.length))];
        } catch (OutOfMemoryError e) {
            while (poolSize + more > pool.length && size > 0) {
                evict();
            }
            limit = Math.max(1, Math.min(limit, size + 1));
            memoryNote = "Java's heap ran out at " + limit + " records (give it more, e.g."
                    + " STRATA_JAVA_OPTS=-Xmx8g)";
            return;
        }
        for (int n = 0, p = poolHead; n < poolSize; n++, p = p + 1 == pool.length ? 0 : p + 1) {
            bigger[n] = pool[p];
        }
        pool = bigger;
        poolHead = 0;
    }
}
