package dev.strata.emulator.cpu.decode;

/**
 * One pre-decoded instruction: its handler and every operand resolved at decode time. The effective address is
 * {@code (reg[base] + (reg[index] << scale) + disp) & addrMask}, with register 8 always zero, so address
 * computation has no branches.
 *
 * <p>A record, not a class with plain fields, because HotSpot treats a record's fields as constants when the
 * record itself is one: a translated block calls each handler with its instruction as a constant, and the
 * compiler then folds the handler's tests of operand size, operation and registers away.
 *
 * @param exec the handler
 * @param len length in bytes (prefixes included)
 * @param size operand size: 0 byte, 1 word, 2 dword
 * @param sub sub-operation: ModRM reg field for group opcodes, ALU op for 00-3F, condition code for Jcc/SETcc/CMOVcc
 * @param reg ModRM reg field (register operand)
 * @param rm ModRM rm register when {@code mem} is false
 * @param mem the ModRM operand is in memory
 * @param modrm the ModRM byte as fetched (the x87 records it in its last-opcode register)
 * @param seg segment register of the memory operand (default or override)
 * @param base base register of the address (8: none)
 * @param index index register of the address (8: none)
 * @param scale shift applied to the index
 * @param disp displacement
 * @param addrMask 0xFFFF for 16-bit addressing, -1 for 32-bit
 * @param a32 32-bit addressing
 * @param o32 32-bit operand size
 * @param imm first immediate (or relative target, or far offset)
 * @param imm2 second immediate (far selector, ENTER's level)
 * @param rep 0 none, 0xF2 REPNE, 0xF3 REP/REPE
 * @param lock a LOCK prefix
 * @param opcode 0x00-0xFF one byte, 0x100-0x1FF for 0F xx
 */
public record Insn(Exec exec, int len, int size, int sub, int reg, int rm, boolean mem, int modrm, int seg, int base,
                   int index, int scale, int disp, int addrMask, boolean a32, boolean o32, int imm, int imm2, int rep,
                   boolean lock, int opcode) {
}
