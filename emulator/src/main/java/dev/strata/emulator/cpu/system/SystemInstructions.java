package dev.strata.emulator.cpu.system;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.DWORD;
import static dev.strata.emulator.cpu.decode.OpSpec.IB;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;
import static dev.strata.emulator.cpu.decode.OpSpec.WORD;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * Flag and system instructions: CLC/STC/CMC/CLI/STI/CLD/STD, IN/OUT, CPUID, RDTSC, RDPMC, RDMSR/WRMSR, MOV to and from
 * control registers, LGDT/LIDT/SGDT/SIDT/LMSW/SMSW, CLTS, INVLPG, INVD/WBINVD, and UD2;
 * the privileged ones fault (#GP(0)) outside ring 0.
 */
public final class SystemInstructions {

    /** CR4.PCE: RDPMC allowed at every privilege level. */
    private static final int CR4_PCE = 0x100;
    /**
     * CR4 bits this core implements: TSD, DE, PSE, MCE (no machine check ever happens, so it changes nothing), PGE
     * and PCE. Setting any other raises #GP(0).
     */
    private static final int CR4_BITS = 0x04 | 0x08 | 0x10 | 0x40 | 0x80 | CR4_PCE;

    private SystemInstructions() {
    }

    private static void setFlag(Cpu c, int bit, boolean on) {
        Flags.get(c);
        c.eflags = on ? c.eflags | bit : c.eflags & ~bit;
    }

    static final Exec CLC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            setFlag(c, Flags.CF, false);
        }
    };
    static final Exec STC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            setFlag(c, Flags.CF, true);
        }
    };
    static final Exec CMC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            setFlag(c, Flags.CF, !Flags.cf(c));
        }
    };
    static final Exec CLD = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.eflags &= ~Flags.DF;
        }
    };
    static final Exec STD = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.eflags |= Flags.DF;
        }
    };
    static final Exec CLI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireIopl(c);
            c.eflags &= ~Flags.IF;
        }
    };

    static final Exec STI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireIopl(c);
            if ((c.eflags & Flags.IF) == 0) {
                c.eflags |= Flags.IF;
                c.shadowNextInstruction();
            }
        }
    };

    static final Exec IN_IMM = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            IoPermission.check(c, i.imm(), 1 << i.size());
            c.setReg(i.size(), Cpu.EAX, c.io.in(i.imm(), 1 << i.size()));
        }
    };
    static final Exec IN_DX = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            IoPermission.check(c, c.r[Cpu.EDX] & 0xFFFF, 1 << i.size());
            c.setReg(i.size(), Cpu.EAX, c.io.in(c.r[Cpu.EDX] & 0xFFFF, 1 << i.size()));
        }
    };
    static final Exec OUT_IMM = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            IoPermission.check(c, i.imm(), 1 << i.size());
            c.io.out(i.imm(), 1 << i.size(), c.getReg(i.size(), Cpu.EAX));
        }
    };
    static final Exec OUT_DX = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            IoPermission.check(c, c.r[Cpu.EDX] & 0xFFFF, 1 << i.size());
            c.io.out(c.r[Cpu.EDX] & 0xFFFF, 1 << i.size(), c.getReg(i.size(), Cpu.EAX));
        }
    };

    static final Exec CPUID = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            ProcessorIdentity.cpuid(c);
        }
    };

    static final Exec RDTSC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if ((c.cr4 & 4) != 0) {
                requireRing0(c); // CR4.TSD
            }
            long t = c.msr.tsc.read();
            c.r[Cpu.EAX] = (int) t;
            c.r[Cpu.EDX] = (int) (t >>> 32);
        }
    };

    /** RDPMC: performance counter ECX (0 or 1); outside ring 0 only with CR4.PCE. */
    static final Exec RDPMC = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            if ((c.cr4 & CR4_PCE) == 0) {
                requireRing0(c);
            }
            int k = c.r[Cpu.ECX];
            if (k != 0 && k != 1) {
                throw CpuFault.general(0);
            }
            long v = c.msr.counters.counter(k);
            c.r[Cpu.EAX] = (int) v;
            c.r[Cpu.EDX] = (int) (v >>> 32);
        }
    };

    static final Exec RDMSR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            long v = c.msr.read(c.r[Cpu.ECX]);
            c.r[Cpu.EAX] = (int) v;
            c.r[Cpu.EDX] = (int) (v >>> 32);
        }
    };

    static final Exec WRMSR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            c.msr.write(c.r[Cpu.ECX], (c.r[Cpu.EAX] & 0xFFFFFFFFL) | (long) c.r[Cpu.EDX] << 32);
        }
    };

    static final Exec MOV_R_CR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            int v;
            switch (i.reg()) {
                case 0: v = c.cr0; break;
                case 2: v = c.cr2; break;
                case 3: v = c.cr3; break;
                case 4: v = c.cr4; break;
                default: throw CpuFault.undefined();
            }
            c.r[i.rm()] = v;
        }
    };

    static final Exec MOV_CR_R = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            int v = c.r[i.rm()];
            switch (i.reg()) {
                case 0: writeCr0(c, v); break;
                case 2: c.cr2 = v; break;
                case 3: c.cr3 = v; c.addressSpaceChanged(); break;
                case 4: writeCr4(c, v); break;
                default: throw CpuFault.undefined();
            }
        }
    };

    /** CR4: reserved or unimplemented bits fault; any change drops every cached translation, global ones too. */
    private static void writeCr4(Cpu c, int v) {
        if ((v & ~CR4_BITS) != 0) {
            throw CpuFault.general(0);
        }
        c.cr4 = v;
        c.pagingChanged();
    }

    /** #GP(0) for privileged instructions outside ring 0 (real mode runs at CPL 0). */
    static void requireRing0(Cpu c) {
        if (c.cpl != 0) {
            throw CpuFault.general(0);
        }
    }

    /** CLI and STI: protected-mode code needs CPL &lt;= IOPL. */
    private static void requireIopl(Cpu c) {
        if (c.cpl > ((c.eflags >>> 12) & 3)) {
            throw CpuFault.general(0);
        }
    }

    /**
     * Writes CR0. Toggling PE changes how segment loads and far transfers work but not the cached descriptors
     * (leaving protected mode keeps their bases and limits: unreal mode); decoded code stays (it is keyed by
     * physical address, and decoding does not depend on the mode).
     */
    private static void writeCr0(Cpu c, int v) {
        requireRing0(c);
        if ((v & 0x80000001) == 0x80000000) {
            throw CpuFault.general(0); // paging without protection
        }
        int old = c.cr0;
        c.cr0 = v | 0x10; // ET is hard-wired on P6
        if (((old ^ v) & 1) != 0) {
            c.cpl = 0;
            if ((v & 1) == 0) {
                for (int s = 0; s < 6; s++) {
                    c.seg[s].ignoreTypes(); // real mode checks limits, never types
                }
            }
        }
        c.pagingChanged();
    }

    static final Exec MOV_R_DR = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            c.r[i.rm()] = c.debug.read(i.reg(), (c.cr4 & 8) != 0);
        }
    };
    static final Exec MOV_DR_R = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            c.debug.write(i.reg(), c.r[i.rm()], (c.cr4 & 8) != 0);
        }
    };

    static final Exec SMSW = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.writeRm(i, i.mem() ? 1 : i.size(), c.cr0);
        }
    };

    static final Exec LMSW = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, 1);
            // LMSW can set PE but never clear it
            writeCr0(c, (c.cr0 & ~0xE) | (v & 0xF) | (c.cr0 & 1));
        }
    };

    static final Exec SGDT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            storeTable(c, i, c.gdtLimit, c.gdtBase);
        }
    };
    static final Exec SIDT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            storeTable(c, i, c.idtLimit, c.idtBase);
        }
    };

    private static void storeTable(Cpu c, dev.strata.emulator.cpu.decode.Insn i, int limit, int base) {
        int off = c.ea(i);
        c.write16(i.seg(), off, limit);
        c.write32(i.seg(), (off + 2) & i.addrMask(), i.size() == 2 ? base : base & 0xFFFFFF);
    }

    static final Exec LGDT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            int off = c.ea(i);
            c.gdtLimit = c.read16(i.seg(), off);
            int base = c.read32(i.seg(), (off + 2) & i.addrMask());
            c.gdtBase = i.size() == 2 ? base : base & 0xFFFFFF;
        }
    };

    static final Exec LIDT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            int off = c.ea(i);
            c.idtLimit = c.read16(i.seg(), off);
            int base = c.read32(i.seg(), (off + 2) & i.addrMask());
            c.idtBase = i.size() == 2 ? base : base & 0xFFFFFF;
        }
    };

    static final Exec INVLPG = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            c.invalidatePage(c.seg[i.seg()].base + c.ea(i));
        }
    };

    static final Exec CLTS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
            c.cr0 &= ~8;
        }
    };
    /** INVD and WBINVD: no caches to act on, but still ring 0 only. */
    static final Exec PRIVILEGED_NOP = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            requireRing0(c);
        }
    };

    static final Exec UD = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            throw CpuFault.undefined();
        }
    };

    /** I/O instructions end their block so an interrupt a device raises is taken right after them. */
    public static void register(OpTable t) {
        t.op(0xF8, false, BYTE, NO_IMM, CLC);
        t.op(0xF9, false, BYTE, NO_IMM, STC);
        t.op(0xF5, false, BYTE, NO_IMM, CMC);
        t.op(0xFC, false, BYTE, NO_IMM, CLD);
        t.op(0xFD, false, BYTE, NO_IMM, STD);
        t.op(0xFA, false, BYTE, NO_IMM, CLI);
        t.op(0xFB, false, BYTE, NO_IMM, STI).ends();
        t.op(0xE4, false, BYTE, IB, IN_IMM).ends();
        t.op(0xE5, false, VAR, IB, IN_IMM).ends();
        t.op(0xEC, false, BYTE, NO_IMM, IN_DX).ends();
        t.op(0xED, false, VAR, NO_IMM, IN_DX).ends();
        t.op(0xE6, false, BYTE, IB, OUT_IMM).ends();
        t.op(0xE7, false, VAR, IB, OUT_IMM).ends();
        t.op(0xEE, false, BYTE, NO_IMM, OUT_DX).ends();
        t.op(0xEF, false, VAR, NO_IMM, OUT_DX).ends();
        t.op(0x1A2, false, DWORD, NO_IMM, CPUID);
        t.op(0x131, false, DWORD, NO_IMM, RDTSC);
        t.op(0x132, false, DWORD, NO_IMM, RDMSR);
        t.op(0x133, false, DWORD, NO_IMM, RDPMC);
        t.op(0x130, false, DWORD, NO_IMM, WRMSR);
        t.op(0x120, true, DWORD, NO_IMM, MOV_R_CR).regOnly();
        t.op(0x122, true, DWORD, NO_IMM, MOV_CR_R).regOnly().ends();
        t.op(0x121, true, DWORD, NO_IMM, MOV_R_DR).regOnly();
        t.op(0x123, true, DWORD, NO_IMM, MOV_DR_R).regOnly();
        t.group(0x101, 0, VAR, NO_IMM, SGDT).memOnly();
        t.group(0x101, 1, VAR, NO_IMM, SIDT).memOnly();
        t.group(0x101, 2, VAR, NO_IMM, LGDT).memOnly();
        t.group(0x101, 3, VAR, NO_IMM, LIDT).memOnly();
        t.group(0x101, 4, VAR, NO_IMM, SMSW);
        t.group(0x101, 6, WORD, NO_IMM, LMSW).ends();
        t.group(0x101, 7, VAR, NO_IMM, INVLPG).memOnly().ends();
        t.op(0x106, false, BYTE, NO_IMM, CLTS);
        t.op(0x108, false, BYTE, NO_IMM, PRIVILEGED_NOP); // INVD
        t.op(0x109, false, BYTE, NO_IMM, PRIVILEGED_NOP); // WBINVD
        t.op(0x10B, false, BYTE, NO_IMM, UD);
    }
}
