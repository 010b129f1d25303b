package dev.strata.emulator.cpu.exception;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports opcodes the CPU does not know (it raises #UD for them) through SLF4J, once per instruction bytes and
 * address, so a guest that probes or loops on one does not flood the log. Stops after {@link #LIMIT} distinct ones.
 */
public final class UndefinedOpcodeLog {

    static final int LIMIT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger("dev.strata.emulator.cpu");

    private final Set<String> seen = new HashSet<>();

    /**
     * Records an undefined opcode at CS:EIP {@code cs}:{@code eip} (linear {@code linear}) with its bytes.
     *
     * @return true when this is the first report of these bytes at this address (and it was logged)
     */
    public synchronized boolean report(int cs, int eip, int linear, byte[] bytes) {
        if (seen.size() > LIMIT) {
            return false;
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xFF));
        }
        if (!seen.add(String.format("%08X %s", linear, hex))) {
            return false;
        }
        if (seen.size() > LIMIT) {
            LOG.warn("more than {} undefined opcodes: no more are logged", LIMIT);
            return false;
        }
        LOG.warn("undefined opcode {} at {}:{} (linear {}): #UD raised", hex, String.format("%04X", cs),
                String.format("%08X", eip), String.format("%08X", linear));
        return true;
    }
}
