package dev.strata.emulator.cpu.exception;

/**
 * A guest exception raised while executing an instruction (a fault: the guest sees the faulting instruction's
 * address). Thrown only on the rare guest-fault path, so it carries no Java stack trace.
 */
public final class CpuFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public final int vector;
    public final int errorCode;

    public CpuFault(int vector, int errorCode) {
        super("CPU exception " + vector, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
    }

    public static CpuFault divide() {
        return new CpuFault(Vectors.DE, -1);
    }

    public static CpuFault undefined() {
        return new CpuFault(Vectors.UD, -1);
    }

    public static CpuFault general(int code) {
        return new CpuFault(Vectors.GP, code);
    }

    public static CpuFault stack(int code) {
        return new CpuFault(Vectors.SS, code);
    }

    public static CpuFault notPresent(int code) {
        return new CpuFault(Vectors.NP, code);
    }

    public static CpuFault invalidTss(int code) {
        return new CpuFault(Vectors.TS, code);
    }
}
