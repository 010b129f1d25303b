package dev.strata.emulator.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Exact bit patterns of extended-precision results under every rounding mode and precision control. */
class ExtendedArithmeticTest {

    private static final int ONE = 0x3FFF;
    private static final long INT = 0x8000000000000000L;

    private static ExtendedArithmetic arith(int rc, int pc) {
        ExtendedArithmetic x = new ExtendedArithmetic();
        x.control(0x3F | pc << 8 | rc << 10);
        x.clear();
        return x;
    }

    private static void assertResult(ExtendedArithmetic x, int se, long sig) {
        assertEquals(Integer.toHexString(se) + ":" + Long.toHexString(sig),
                Integer.toHexString(x.se) + ":" + Long.toHexString(x.sig));
    }

    @Test
    void oneThirdRoundsByModeAtEveryPrecision() {
        long[][] expected = {
            // RN, RD, RU, RZ
            {0xAAAAAAAAAAAAAAABL, 0xAAAAAAAAAAAAAAAAL, 0xAAAAAAAAAAAAAAABL, 0xAAAAAAAAAAAAAAAAL}, // 64 bits
            {0xAAAAAAAAAAAAA800L, 0xAAAAAAAAAAAAA800L, 0xAAAAAAAAAAAAB000L, 0xAAAAAAAAAAAAA800L}, // 53 bits
            {0xAAAAAB0000000000L, 0xAAAAAA0000000000L, 0xAAAAAB0000000000L, 0xAAAAAA0000000000L}, // 24 bits
        };
        int[] pcs = {3, 2, 0};
        for (int p = 0; p < 3; p++) {
            for (int rc = 0; rc < 4; rc++) {
                ExtendedArithmetic x = arith(rc, pcs[p]);
                x.div(ONE, INT, ONE + 1, 0xC000000000000000L);
                assertResult(x, 0x3FFD, expected[p][rc]);
                assertEquals(ExtendedArithmetic.PE, x.exc);
                assertEquals(expected[p][rc] != (p == 0 ? 0xAAAAAAAAAAAAAAAAL : p == 1 ? 0xAAAAAAAAAAAAA800L
                        : 0xAAAAAA0000000000L), x.up, "C1 for pc " + pcs[p] + " rc " + rc);
            }
        }
    }

    @Test
    void precisionControlRoundsOnceNotTwice() {
        // 1 + 2^-53 + 2^-65: rounded through 64 bits first it would tie and go to 1.0; directly it is 1 + 2^-52
        ExtendedArithmetic x = arith(0, 2);
        x.add(ONE, INT, ONE - 53, 0x8008000000000000L, false);
        assertResult(x, ONE, 0x8000000000000800L);
        assertTrue(x.up);
    }

    @Test
    void tiesGoToEven() {
        ExtendedArithmetic x = arith(0, 3);
        x.add(ONE, INT | 1, ONE - 64, INT, false); // 1 + ulp + half ulp: odd, rounds up to even
        assertResult(x, ONE, INT | 2);
        x.clear();
        x.add(ONE, INT, ONE - 64, INT, false); // 1 + half ulp: even, stays
        assertResult(x, ONE, INT);
    }

    @Test
    void overflowGivesInfinityOrLargestFiniteByRoundingMode() {
        int[] pcs = {3, 0};
        for (int pc : pcs) {
            long max = pc == 3 ? -1L : 0xFFFFFF0000000000L;
            for (int rc = 0; rc < 4; rc++) {
                for (int sign = 0; sign < 2; sign++) {
                    ExtendedArithmetic x = arith(rc, pc);
                    x.mul(0x7FFE | sign << 15, -1L, 0x4000, INT);
                    boolean inf = rc == 0 || (rc == 2 && sign == 0) || (rc == 1 && sign == 1);
                    assertResult(x, (sign << 15) | (inf ? 0x7FFF : 0x7FFE), inf ? INT : max);
                    assertEquals(ExtendedArithmetic.OE | ExtendedArithmetic.PE, x.exc);
                    assertEquals(inf, x.up);
                }
            }
        }
    }

    @Test
    void unmaskedOverflowDeliversTheBiasAdjustedResult() {
        ExtendedArithmetic x = new ExtendedArithmetic();
        x.control(0x37F & ~ExtendedArithmetic.OE);
        x.clear();
        x.mul(0x7FFE, INT, 0x4000, INT);
        assertResult(x, 0x7FFF - 0x6000, INT);
        assertEquals(ExtendedArithmetic.OE, x.exc);
    }

    @Test
    void exactDenormalResultIsNoUnderflowWhenMasked() {
        ExtendedArithmetic x = arith(0, 3);
        x.div(1, INT, 0x4000, INT); // smallest normal / 2
        assertResult(x, 0, 0x4000000000000000L);
        assertEquals(0, x.exc);
    }

    @Test
    void inexactDenormalResultUnderflows() {
        ExtendedArithmetic x = arith(0, 3);
        x.div(1, INT, 0x4000, 0xC000000000000000L); // smallest normal / 3
        assertResult(x, 0, 0x2AAAAAAAAAAAAAABL);
        assertEquals(ExtendedArithmetic.UE | ExtendedArithmetic.PE, x.exc);
    }

    @Test
    void unmaskedUnderflowIsSignalledEvenWhenExact() {
        ExtendedArithmetic x = new ExtendedArithmetic();
        x.control(0x37F & ~ExtendedArithmetic.UE);
        x.clear();
        x.div(1, INT, 0x4000, INT);
        assertResult(x, 0x6000, INT);
        assertEquals(ExtendedArithmetic.UE, x.exc);
    }

    @Test
    void denormalOperandRaisesDe() {
        ExtendedArithmetic x = arith(0, 3);
        x.add(0, 1, 0, 1, false);
        assertResult(x, 0, 2);
        assertEquals(ExtendedArithmetic.DE, x.exc);
    }

    @Test
    void pseudoDenormalIsADenormalOperandWithExponentOne() {
        ExtendedArithmetic x = arith(0, 3);
        x.add(0, INT, 0, 0, false); // pseudo-denormal 2^-16382 + 0
        assertResult(x, 1, INT);
        assertEquals(ExtendedArithmetic.DE, x.exc);
    }

    @Test
    void unsupportedEncodingsAreInvalid() {
        long[][] bad = {{0x7FFF, 0}, {0x7FFF, 0x4000000000000000L}, {0x3FFF, 0x4000000000000000L}};
        for (long[] b : bad) {
            ExtendedArithmetic x = arith(0, 3);
            x.add((int) b[0], b[1], ONE, INT, false);
            assertResult(x, 0xFFFF, 0xC000000000000000L);
            assertEquals(ExtendedArithmetic.IE, x.exc);
        }
    }

    @Test
    void nanPropagationFollowsTheX87Rules() {
        long snan = 0x8000000000000001L, qnanSmall = 0xC000000000000001L, qnanBig = 0xC000000000000002L;
        ExtendedArithmetic x = arith(0, 3);
        x.add(0x7FFF, snan, ONE, INT, false); // SNaN + number: quieted, IE
        assertResult(x, 0x7FFF, 0xC000000000000001L);
        assertEquals(ExtendedArithmetic.IE, x.exc);
        x.clear();
        x.mul(0x7FFF, qnanSmall, 0xFFFF, qnanBig); // two QNaNs: larger significand
        assertResult(x, 0xFFFF, qnanBig);
        assertEquals(0, x.exc);
        x.clear();
        x.div(0x7FFF, 0x8000000000000005L, 0xFFFF, qnanSmall); // SNaN and QNaN: the QNaN
        assertResult(x, 0xFFFF, qnanSmall);
        assertEquals(ExtendedArithmetic.IE, x.exc);
        x.clear();
        x.add(0xFFFF, qnanBig, 0x7FFF, qnanBig, false); // equal: the positive one
        assertResult(x, 0x7FFF, qnanBig);
    }

    @Test
    void invalidOperationsGiveTheIndefinite() {
        ExtendedArithmetic x = arith(0, 3);
        x.add(0x7FFF, INT, 0xFFFF, INT, false);
        assertResult(x, 0xFFFF, 0xC000000000000000L);
        x.clear();
        x.mul(0x7FFF, INT, 0, 0);
        assertResult(x, 0xFFFF, 0xC000000000000000L);
        x.clear();
        x.div(0, 0, 0x8000, 0);
        assertResult(x, 0xFFFF, 0xC000000000000000L);
        x.clear();
        x.sqrt(0xBFFF, INT);
        assertResult(x, 0xFFFF, 0xC000000000000000L);
        assertEquals(ExtendedArithmetic.IE, x.exc);
    }

    @Test
    void divisionByZeroGivesSignedInfinity() {
        ExtendedArithmetic x = arith(0, 3);
        x.div(0xBFFF, INT, 0, 0);
        assertResult(x, 0xFFFF, INT);
        assertEquals(ExtendedArithmetic.ZE, x.exc);
    }

    @Test
    void exactCancellationIsPositiveZeroExceptRoundingDown() {
        ExtendedArithmetic x = arith(0, 3);
        x.add(ONE, INT, ONE, INT, true);
        assertResult(x, 0, 0);
        x = arith(1, 3);
        x.add(ONE, INT, ONE, INT, true);
        assertResult(x, 0x8000, 0);
    }

    @Test
    void squareRootIsCorrectlyRounded() {
        ExtendedArithmetic x = arith(0, 3);
        x.sqrt(0x4000, INT); // sqrt(2)
        assertResult(x, ONE, 0xB504F333F9DE6484L);
        assertTrue(!x.up);
        x = arith(2, 3);
        x.sqrt(0x4000, INT);
        assertResult(x, ONE, 0xB504F333F9DE6485L);
        x = arith(0, 3);
        x.sqrt(0x4001, INT); // sqrt(4) exact
        assertResult(x, 0x4000, INT);
        assertEquals(0, x.exc);
    }

    @Test
    void compareOrdersSignedValuesAndReportsNans() {
        ExtendedArithmetic x = arith(0, 3);
        assertEquals(ExtendedArithmetic.LESS, x.compare(0xBFFF, INT, 0, 0, false));
        assertEquals(ExtendedArithmetic.EQUAL, x.compare(0x8000, 0, 0, 0, false));
        assertEquals(ExtendedArithmetic.GREATER, x.compare(0x4000, INT, ONE, INT, false));
        assertEquals(ExtendedArithmetic.LESS, x.compare(0xC000, INT, 0xBFFF, INT, false));
        assertEquals(0, x.exc);
        assertEquals(ExtendedArithmetic.UNORDERED, x.compare(0x7FFF, 0xC000000000000000L, 0, 0, true));
        assertEquals(0, x.exc);
        assertEquals(ExtendedArithmetic.UNORDERED, x.compare(0x7FFF, 0xC000000000000000L, 0, 0, false));
        assertEquals(ExtendedArithmetic.IE, x.exc);
        assertFalse(x.up);
    }
}
