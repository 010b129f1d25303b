package dev.strata.emulator.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AgentExpressionTest {

    /** EAX=5, EBX=-1; memory: 78h 56h 34h 12h from 7E00h, nothing mapped from 10000h. */
    private final AgentExpression.Machine machine = new AgentExpression.Machine() {
        @Override
        public long register(int number) {
            return number == 0 ? 5 : number == 3 ? 0xFFFFFFFFL : 0;
        }

        @Override
        public byte[] memory(long linear, int length) {
            byte[] ram = {0x78, 0x56, 0x34, 0x12};
            if (linear >= 0x10000) {
                return new byte[0];
            }
            int from = (int) (linear - 0x7e00);
            return Arrays.copyOfRange(ram, from, from + length);
        }
    };

    private long eval(String hex) {
        return AgentExpression.of(RspPacket.unhex(hex)).evaluate(machine);
    }

    @Test
    void registersMemoryAndComparisonsEvaluateAsGdbCompilesThem() {
        // reg 0, const8 5, equal, end
        assertEquals(1, eval("260000" + "2205" + "13" + "27"));
        // reg 3, ext 32 (signed), const8 0, less_signed, end: (int)$ebx < 0
        assertEquals(1, eval("260003" + "1620" + "2200" + "14" + "27"));
        // const16 7E00h, ref16, const16 5678h, equal, end
        assertEquals(1, eval("237e00" + "18" + "235678" + "13" + "27"));
        // const16 7E00h, ref32, zero_ext 16, end
        assertEquals(0x5678, eval("237e00" + "19" + "2a10" + "27"));
    }

    @Test
    void jumpsGoToAbsoluteOffsetsAsLogicalAndOrCompile() {
        // $eax == 5 || $eax == 4: reg 0, const8 5, equal, dup, if_goto 17 (the end), pop, reg 0, const8 4, equal, end
        String or = "260000" + "2205" + "13" + "28" + "200011" + "29" + "260000" + "2204" + "13" + "27";
        assertEquals(1, eval(or));
        // const8 1, goto 7, const8 0 (skipped), at 7: const8 2, end
        assertEquals(2, eval("2201" + "210007" + "2200" + "2202" + "27"));
    }

    @Test
    void whatCannotBeEvaluatedSaysWhy() {
        IllegalStateException unmapped = assertThrows(IllegalStateException.class, () -> eval("2401000000" + "17"
                + "27"));
        assertTrue(unmapped.getMessage().contains("1000000"), unmapped.getMessage());
        assertThrows(IllegalStateException.class, () -> eval("2201" + "2200" + "05" + "27"), "division by zero");
        assertThrows(IllegalStateException.class, () -> eval("02" + "27"), "stack underflow");
        assertThrows(IllegalStateException.class, () -> eval("210000"), "a loop");
        IllegalArgumentException floating = assertThrows(IllegalArgumentException.class,
                () -> AgentExpression.of(RspPacket.unhex("0127")));
        assertEquals("agent expression: bytecode 01h at 0 is not one the stub evaluates", floating.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentExpression.of(RspPacket.unhex("23ff")),
                "an operand cut short");
    }
}
