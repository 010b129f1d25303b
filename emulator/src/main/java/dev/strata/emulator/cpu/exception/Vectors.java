package dev.strata.emulator.cpu.exception;

/** x86 exception vector numbers. */
public final class Vectors {
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10,
            NP = 11, SS = 12, GP = 13, PF = 14;

    private Vectors() {
    }
}
