package dev.strata.emulator.gdb;

/**
 * Why the target stopped, as the stub reports it to gdb: a breakpoint, a write, read or access watchpoint (with
 * the address gdb set it at), a finished step, an interrupt from gdb, or the end of the machine's run.
 */
public record StopReason(Kind kind, long address) {

    /** The kinds of stop gdb tells apart. */
    public enum Kind {
        SOFTWARE_BREAKPOINT, HARDWARE_BREAKPOINT, WATCHPOINT, READ_WATCHPOINT, ACCESS_WATCHPOINT, STEP, INTERRUPTED,
        EXITED,
        /**
         * A breakpoint at a linear address that is not the PC gdb reads (real mode with a CS base other than 0: gdb
         * sees EIP, the offset in CS). Reported as a plain SIGTRAP: told "swbreak" at a PC where it set no
         * breakpoint, gdb would take the stop for a breakpoint it has since removed and silently continue.
         */
        SEGMENTED_BREAKPOINT
    }

    public static final StopReason STEPPED = new StopReason(Kind.STEP, 0);
    public static final StopReason INTERRUPTED = new StopReason(Kind.INTERRUPTED, 0);
    public static final StopReason EXITED = new StopReason(Kind.EXITED, 0);

    /** The stop reply packet: {@code T05} with the reason's key (SIGTRAP), {@code T02} for SIGINT, {@code W00}. */
    public String reply() {
        return switch (kind) {
            case SOFTWARE_BREAKPOINT -> "T05swbreak:;thread:1;";
            case HARDWARE_BREAKPOINT -> "T05hwbreak:;thread:1;";
            case WATCHPOINT -> "T05watch:" + Long.toHexString(address) + ";thread:1;";
            case READ_WATCHPOINT -> "T05rwatch:" + Long.toHexString(address) + ";thread:1;";
            case ACCESS_WATCHPOINT -> "T05awatch:" + Long.toHexString(address) + ";thread:1;";
            case STEP, SEGMENTED_BREAKPOINT -> "T05thread:1;";
            case INTERRUPTED -> "T02thread:1;";
            case EXITED -> "W00";
        };
    }
}
