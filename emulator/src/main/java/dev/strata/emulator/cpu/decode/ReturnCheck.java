package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;

/**
 * A RET inside a block that goes on after it at the return address its CALL (earlier in the block) pushed: runs the
 * RET and, when it went elsewhere (the callee changed its stack), asks to leave the block there.
 */
final class ReturnCheck extends Exec {

    private final Exec ret;
    /** The expected EIP less the RET's own. */
    private final int distance;
    private final int ipMask;

    ReturnCheck(Exec ret, int distance, boolean code32) {
        this.ret = ret;
        this.distance = distance;
        this.ipMask = code32 ? -1 : 0xFFFF;
    }

    @Override
    public void run(Cpu c, Insn i) {
        ret.run(c, i);
        if (c.eip != ((c.curEip + distance) & ipMask)) {
            c.blockExit = true;
        }
    }
}
