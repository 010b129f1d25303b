package dev.strata.emulator.cpu.trace;

/**
 * One trace record, reused from record to record: an instruction (its address, mode and bytes) or an interrupt
 * (vector, error code), with the registers that changed from its start to the start of the next record.
 */
public final class TraceEntry {

    /** {@link #kind} of an instruction record; the others are the interrupt and reset kinds below. */
    public static final int INSTRUCTION = 0, EXCEPTION = 1, HARDWARE = 2, NMI = 3, SOFTWARE = 4, TRIPLE_FAULT = 5;
    /** {@link #mode}: real mode, protected mode with 16- or 32-bit code, virtual-8086 mode. */
    public static final int REAL16 = 0, REAL32 = 1, PROTECTED16 = 2, PROTECTED32 = 3, V86 = 4;
    /** Code bytes a record keeps: enough for the longest x86 instruction (15). */
    public static final int CODE_BYTES = 16;

    /** Instructions the CPU had executed before this record. */
    public long count;
    public int kind;
    public int mode;
    public int cs;
    public int eip;
    /** The bytes at CS:EIP, little-endian: bytes 0-7 in {@code codeLow}, 8-15 in {@code codeHigh}. */
    public long codeLow, codeHigh;
    /** How many of them could be read (fewer when a page was not present, 0 for an interrupt). */
    public int codeLength;
    /** For interrupts: the vector, the error code (-1 when none) and CR2 (shown for a page fault). */
    public int vector, errorCode, cr2;
    /** A bit per {@link TracedRegisters} index that changed; {@link #before} and {@link #after} hold their values. */
    public int changed;
    public final int[] before = new int[TracedRegisters.COUNT];
    public final int[] after = new int[TracedRegisters.COUNT];

    /** The code bytes that could be read. */
    public byte[] code() {
        byte[] b = new byte[codeLength];
        for (int k = 0; k < codeLength; k++) {
            b[k] = (byte) ((k < 8 ? codeLow : codeHigh) >>> (8 * (k & 7)));
        }
        return b;
    }

    public boolean isInstruction() {
        return kind == INSTRUCTION;
    }

    /** True for code run with a 32-bit default operand size. */
    public boolean code32() {
        return mode == REAL32 || mode == PROTECTED32;
    }
}
