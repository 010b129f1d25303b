package dev.strata.emulator.cpu.control;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;

/** The sixteen x86 condition codes (Jcc, SETcc, CMOVcc), evaluated from the lazy flags. */
public final class Conditions {

    private Conditions() {
    }

    public static boolean test(Cpu c, int cc) {
        boolean v;
        switch (cc >>> 1) {
            case 0: v = Flags.of(c); break;
            case 1: v = Flags.cf(c); break;
            case 2: v = Flags.zf(c); break;
            case 3: v = Flags.cf(c) || Flags.zf(c); break;
            case 4: v = Flags.sf(c); break;
            case 5: v = Flags.pf(c); break;
            case 6: v = Flags.sf(c) != Flags.of(c); break;
            default: v = Flags.zf(c) || Flags.sf(c) != Flags.of(c); break;
        }
        return v != ((cc & 1) != 0);
    }
}
