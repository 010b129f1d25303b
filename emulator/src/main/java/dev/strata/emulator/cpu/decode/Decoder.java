package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * Turns guest bytes into {@link Insn}s: prefixes, opcode, ModRM/SIB, displacement and immediates, with the
 * handler chosen from the {@link OpTable}. Decoding never touches guest state, only reads code bytes.
 */
public final class Decoder {

    /** Segment register numbers used by overrides (ES CS SS DS FS GS). */
    private static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
    private static final int MAX_LENGTH = 15;

    private static final Exec UNDEFINED = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.undefinedOpcode(i.len());
            throw CpuFault.undefined();
        }
    };
    private static final Exec TOO_LONG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            throw CpuFault.general(0);
        }
    };

    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_OFFSET = (1 << PAGE_SHIFT) - 1;

    private final OpTable table;
    /**
     * The page window: the linear page (address >>> 12) of the last fetch that went through paging and found RAM the
     * CPU reads directly ({@link dev.strata.emulator.memory.PhysicalMemory#readsDirectly}), or -1; the array and the
     * physical less the linear address there. Further bytes on that page are read from the array: going through
     * paging and the memory map for every byte made the decoder C2's largest compilation in a Linux boot (9 KB of
     * bytecode inlined into ModRM decoding alone). Valid for one block ({@link #startBlock}).
     */
    private int windowPage = -1;
    private byte[] windowArray;
    private int windowDelta;
    /** The instruction being decoded (decoding runs on the CPU's thread only, one instruction at a time). */
    private final InsnDraft draft = new InsnDraft();
    private Cpu cpu;
    private int fetchBase;
    private int ipStart;
    private int ipMask;
    private int pos;
    /** Set when the last decoded instruction wrapped around the top of the code segment's offset space. */
    public boolean wrapped;
    /** Set when the last decoded instruction must end its block. */
    public boolean endsBlock;

    public Decoder(OpTable table) {
        this.table = table;
    }

    private int fetch8() {
        int off = ipStart + pos;
        if ((off & ipMask) != off) {
            wrapped = true;
        }
        pos++;
        int linear = fetchBase + (off & ipMask);
        if (linear >>> PAGE_SHIFT == windowPage) {
            return windowArray[linear + windowDelta] & 0xFF;
        }
        return fetchMapped(linear);
    }

    /** A fetch outside the page window: through paging and the memory map, and the window moves to its page. */
    private int fetchMapped(int linear) {
        int p = cpu.translate(linear);
        int physical = cpu.mem.physical(p);
        if (cpu.mem.readsDirectly(physical)) {
            windowArray = cpu.mem.directArray();
            windowPage = linear >>> PAGE_SHIFT;
            windowDelta = (physical & ~PAGE_OFFSET) - (linear & ~PAGE_OFFSET);
        }
        return cpu.mem.read8(p);
    }

    private int fetch16() {
        int lo = fetch8();
        return lo | fetch8() << 8;
    }

    private int fetch32() {
        int lo = fetch16();
        return lo | fetch16() << 16;
    }

    /** Linear address of the last byte fetched. */
    public int endLinear() {
        return fetchBase + ((ipStart + pos - 1) & ipMask);
    }

    /** Physical address (after the A20 gate) of the last byte fetched. */
    public int endPhysical() {
        int linear = endLinear();
        if (linear >>> PAGE_SHIFT == windowPage) {
            return linear + windowDelta;
        }
        return cpu.mem.physical(cpu.translate(linear));
    }

    /**
     * Forgets the page window: to be called before decoding a block, as paging, the CPL, the A20 gate or the memory
     * map may have changed since the last one. Within a block nothing can change them: decoding runs no guest code.
     */
    public void startBlock() {
        windowPage = -1;
        windowArray = null;
    }

    /** Decodes the instruction at {@code csBase + eip}; {@code code32} is the code segment's default size. */
    public Insn decode(Cpu c, int csBase, int eip, boolean code32) {
        this.cpu = c;
        this.fetchBase = csBase;
        this.ipStart = eip;
        this.ipMask = code32 ? -1 : 0xFFFF;
        this.pos = 0;
        this.wrapped = false;
        this.endsBlock = false;
        InsnDraft i = draft;
        i.clear();
        boolean o32 = code32, a32 = code32;
        int segOverride = -1;
        int op;
        while (true) {
            if (pos >= MAX_LENGTH) {
                return tooLong(i);
            }
            op = fetch8();
            switch (op) {
                case 0x26: segOverride = ES; continue;
                case 0x2E: segOverride = CS; continue;
                case 0x36: segOverride = SS; continue;
                case 0x3E: segOverride = DS; continue;
                case 0x64: segOverride = FS; continue;
                case 0x65: segOverride = GS; continue;
                case 0x66: o32 = !code32; continue;
                case 0x67: a32 = !code32; continue;
                case 0xF0: i.lock = true; continue;
                case 0xF2: case 0xF3: i.rep = op; continue;
                default:
                    break;
            }
            break;
        }
        if (op == 0x0F) {
            op = 0x100 | fetch8();
        }
        i.opcode = op;
        i.o32 = o32;
        i.a32 = a32;
        i.addrMask = a32 ? -1 : 0xFFFF;
        i.seg = DS;
        i.sub = (op >>> 3) & 7;
        OpSpec spec = table.get(op);
        if (spec == null) {
            return undefined(i);
        }
        if (spec.modrm) {
            modrm(i, a32);
            if (!i.mem && spec.registerForms != null) {
                spec = spec.registerForms[i.modrm & 0x3F];
                if (spec == null) {
                    return undefined(i);
                }
                i.sub = i.reg;
            } else if (spec.group != null) {
                spec = spec.group[i.reg];
                if (spec == null) {
                    return undefined(i);
                }
                i.sub = i.reg;
            }
            if ((spec.form == 1 && i.mem) || (spec.form == 2 && !i.mem)) {
                return undefined(i);
            }
        }
        if (segOverride >= 0) {
            i.seg = segOverride;
        }
        switch (spec.sizeRule) {
            case OpSpec.BYTE: i.size = 0; break;
            case OpSpec.WORD: i.size = 1; break;
            case OpSpec.DWORD: i.size = 2; break;
            default: i.size = o32 ? 2 : 1; break;
        }
        immediates(i, spec.imm, o32, a32);
        if (pos > MAX_LENGTH) {
            return tooLong(i);
        }
        if (i.lock && !(spec.lockable && i.mem)) {
            return undefined(i);
        }
        i.exec = spec.exec;
        if (i.size == 1) {
            if (!i.mem && spec.execReg16 != null) {
                i.exec = spec.execReg16;
            } else if (i.mem && spec.execMem16 != null) {
                i.exec = spec.execMem16;
            }
        }
        i.len = pos;
        endsBlock = spec.endsBlock;
        return i.build();
    }

    /** True when {@code i} stands for bytes that do not decode (#UD) or are too long (#GP), not an instruction. */
    public static boolean undecodable(Insn i) {
        return i.exec() == UNDEFINED || i.exec() == TOO_LONG;
    }

    private Insn undefined(InsnDraft i) {
        i.exec = UNDEFINED;
        i.len = pos;
        endsBlock = true;
        return i.build();
    }

    private Insn tooLong(InsnDraft i) {
        i.exec = TOO_LONG;
        i.len = pos;
        endsBlock = true;
        return i.build();
    }

    private void immediates(InsnDraft i, int kind, boolean o32, boolean a32) {
        switch (kind) {
            case OpSpec.IB: i.imm = fetch8(); break;
            case OpSpec.IBS: i.imm = (byte) fetch8() & (i.size == 0 ? 0xFF : i.size == 1 ? 0xFFFF : -1); break;
            case OpSpec.IW: i.imm = fetch16(); break;
            case OpSpec.IV: i.imm = i.size == 0 ? fetch8() : i.size == 1 ? fetch16() : fetch32(); break;
            case OpSpec.MOFFS: i.mem = true; i.disp = a32 ? fetch32() : fetch16(); break;
            case OpSpec.FARPTR: i.imm = o32 ? fetch32() : fetch16(); i.imm2 = fetch16(); break;
            case OpSpec.IW_IB: i.imm = fetch16(); i.imm2 = fetch8(); break;
            case OpSpec.REL8: i.imm = (byte) fetch8(); break;
            case OpSpec.RELV: i.imm = o32 ? fetch32() : (short) fetch16(); break;
            default: break;
        }
    }

    private void modrm(InsnDraft i, boolean a32) {
        int m = fetch8();
        i.modrm = m;
        int mod = m >>> 6;
        i.reg = (m >>> 3) & 7;
        int rm = m & 7;
        if (mod == 3) {
            i.rm = rm;
            return;
        }
        i.mem = true;
        if (!a32) {
            switch (rm) {
                case 0: i.base = 3; i.index = 6; break;
                case 1: i.base = 3; i.index = 7; break;
                case 2: i.base = 5; i.index = 6; i.seg = SS; break;
                case 3: i.base = 5; i.index = 7; i.seg = SS; break;
                case 4: i.base = 6; break;
                case 5: i.base = 7; break;
                case 6:
                    if (mod == 0) {
                        i.disp = fetch16();
                        return;
                    }
                    i.base = 5;
                    i.seg = SS;
                    break;
                default: i.base = 3; break;
            }
            if (mod == 1) {
                i.disp = (byte) fetch8();
            } else if (mod == 2) {
                i.disp = (short) fetch16();
            }
            return;
        }
        if (rm == 4) {
            int sib = fetch8();
            int base = sib & 7;
            int index = (sib >>> 3) & 7;
            i.scale = sib >>> 6;
            i.index = index == 4 ? 8 : index;
            if (base == 5 && mod == 0) {
                i.base = 8;
                i.disp = fetch32();
                return;
            }
            i.base = base;
            if (base == 4 || base == 5) {
                i.seg = SS;
            }
        } else if (rm == 5 && mod == 0) {
            i.disp = fetch32();
            return;
        } else {
            i.base = rm;
            if (rm == 5) {
                i.seg = SS;
            }
        }
        if (mod == 1) {
            i.disp = (byte) fetch8();
        } else if (mod == 2) {
            i.disp = fetch32();
        }
    }
}
