package dev.strata.emulator.device.pic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DualPicTest {

    private static final int NON_SPECIFIC_EOI = 0x20;
    private static final int READ_IRR = 0x0A;
    private static final int READ_ISR = 0x0B;

    private DualPic pic;

    @BeforeEach
    void initLikeAPcBios() {
        pic = new DualPic();
        init(0x11, 0x01, 0x01);
    }

    /** ICW1 (with ICW4), ICW2 08h/70h, ICW3 cascade on IR2 / slave id 2, ICW4 as given. */
    private void init(int icw1, int masterIcw4, int slaveIcw4) {
        pic.writePort(0x20, icw1);
        pic.writePort(0x21, 0x08);
        pic.writePort(0x21, 0x04);
        pic.writePort(0x21, masterIcw4);
        pic.writePort(0xA0, icw1);
        pic.writePort(0xA1, 0x70);
        pic.writePort(0xA1, 0x02);
        pic.writePort(0xA1, slaveIcw4);
    }

    private int masterIsr() {
        pic.writePort(0x20, READ_ISR);
        return pic.readPort(0x20);
    }

    private int masterIrr() {
        pic.writePort(0x20, READ_IRR);
        return pic.readPort(0x20);
    }

    @Test
    void beforeInitializationEveryInputIsMaskedSoNothingInterrupts() {
        DualPic fresh = new DualPic();
        fresh.raiseIrq(0);
        assertFalse(fresh.hasInterrupt());
        assertEquals(0xFF, fresh.readPort(0x21));
        assertEquals(0xFF, fresh.readPort(0xA1));
    }

    @Test
    void initializationSetsVectorBasesAndLeavesEverythingUnmasked() {
        assertEquals(0, pic.readPort(0x21));
        assertEquals(0, pic.readPort(0xA1));
        assertFalse(pic.master().initializing());
        pic.raiseIrq(1);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x09, pic.acknowledge());
        assertEquals(0x02, masterIsr());
        assertEquals(0x00, masterIrr());
        assertFalse(pic.hasInterrupt());
    }

    @Test
    void icw1ClearsMaskInServiceAndPriorityRotation() {
        pic.writePort(0x21, 0xFF);
        pic.raiseIrq(0);
        pic.writePort(0x21, 0x00);
        pic.acknowledge();
        pic.writePort(0x20, 0xC0 | 4);
        pic.writePort(0x20, 0x11);
        assertTrue(pic.master().initializing());
        assertEquals(0, pic.readPort(0x21));
        assertEquals(0, pic.master().isr());
        assertEquals(7, pic.master().lowestPriority());
        assertEquals(0, pic.master().irr(), "the edge-sense latch is reset: a held line needs a new edge");
    }

    @Test
    void maskRegisterIsReadBackAndHoldsRequestsInIrr() {
        pic.writePort(0x21, 0xB8);
        assertEquals(0xB8, pic.readPort(0x21));
        pic.writePort(0x21, 0x08);
        pic.raiseIrq(3);
        assertFalse(pic.hasInterrupt());
        assertEquals(0x08, masterIrr());
        pic.writePort(0x21, 0x00);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x0B, pic.acknowledge());
    }

    @Test
    void edgeTriggeredLineHeldHighInterruptsOnce() {
        pic.raiseIrq(4);
        assertEquals(0x0C, pic.acknowledge());
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertFalse(pic.hasInterrupt(), "no new edge, no new interrupt");
        pic.lowerIrq(4);
        pic.raiseIrq(4);
        assertTrue(pic.hasInterrupt());
    }

    @Test
    void requestThatDisappearsBeforeAcknowledgeIsSpuriousIrq7() {
        pic.raiseIrq(5);
        assertTrue(pic.hasInterrupt());
        pic.lowerIrq(5);
        assertFalse(pic.hasInterrupt());
        assertEquals(0x0F, pic.acknowledge());
        assertEquals(0, masterIsr(), "a spurious IRQ 7 sets no in-service bit");
    }

    @Test
    void levelTriggeredModeRepeatsWhileTheLineStaysHigh() {
        init(0x19, 0x01, 0x01);
        pic.raiseIrq(3);
        assertEquals(0x0B, pic.acknowledge());
        assertFalse(pic.hasInterrupt(), "in service blocks its own level");
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertTrue(pic.hasInterrupt());
        pic.lowerIrq(3);
        assertFalse(pic.hasInterrupt());
    }

    @Test
    void elcrSelectsLevelModePerIrqAndKeepsTimerKeyboardCascadeAndFpuEdge() {
        pic.writePort(0x4D0, 0xFF);
        pic.writePort(0x4D1, 0xFF);
        assertEquals(0xF8, pic.readPort(0x4D0));
        assertEquals(0xDE, pic.readPort(0x4D1));
        pic.writePort(0x4D1, 0x08);
        pic.raiseIrq(11);
        assertEquals(0x73, pic.acknowledge());
        pic.writePort(0xA0, NON_SPECIFIC_EOI);
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertTrue(pic.hasInterrupt(), "IRQ 11 is level triggered and still high");
        assertEquals(0x73, pic.acknowledge());
    }

    @Test
    void higherPriorityNestsAndLowerWaitsForEoi() {
        pic.raiseIrq(3);
        pic.raiseIrq(1);
        assertEquals(0x09, pic.acknowledge());
        assertFalse(pic.hasInterrupt(), "IRQ 3 waits while IRQ 1 is in service");
        pic.raiseIrq(0);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x08, pic.acknowledge());
        assertEquals(0x03, masterIsr());
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertEquals(0x02, masterIsr(), "non-specific EOI clears the highest-priority in-service level");
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertEquals(0x0B, pic.acknowledge());
    }

    @Test
    void specificEoiClearsTheNamedLevel() {
        pic.raiseIrq(6);
        pic.acknowledge();
        pic.raiseIrq(0);
        pic.acknowledge();
        pic.writePort(0x20, 0x60 | 6);
        assertEquals(0x01, masterIsr());
    }

    @Test
    void rotateOnNonSpecificEoiMakesTheServicedLevelLowest() {
        pic.raiseIrq(0);
        pic.acknowledge();
        pic.writePort(0x20, 0xA0);
        assertEquals(0, pic.master().lowestPriority());
        assertEquals(0, masterIsr());
        pic.lowerIrq(0);
        pic.raiseIrq(0);
        pic.raiseIrq(5);
        assertEquals(0x0D, pic.acknowledge(), "IRQ 0 now has the lowest priority");
    }

    @Test
    void rotateOnSpecificEoiAndSetPriority() {
        pic.raiseIrq(4);
        pic.acknowledge();
        pic.writePort(0x20, 0xE0 | 4);
        assertEquals(4, pic.master().lowestPriority());
        assertEquals(0, masterIsr());
        pic.writePort(0x20, 0xC0 | 3);
        assertEquals(3, pic.master().lowestPriority());
        pic.lowerIrq(4);
        pic.raiseIrq(1);
        pic.raiseIrq(4);
        assertEquals(0x0C, pic.acknowledge(), "IRQ 4 is highest once IRQ 3 is lowest");
        pic.raiseIrq(5);
        assertFalse(pic.hasInterrupt(), "IRQ 5 and IRQ 1 now rank below IRQ 4 in service");
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertEquals(0x0D, pic.acknowledge(), "after IRQ 4 comes IRQ 5, before IRQ 1");
    }

    @Test
    void autoEoiLeavesNothingInServiceAndCanRotate() {
        init(0x11, 0x03, 0x03);
        assertTrue(pic.master().autoEoi());
        pic.raiseIrq(2 + 1);
        assertEquals(0x0B, pic.acknowledge());
        assertEquals(0, masterIsr());
        assertEquals(7, pic.master().lowestPriority());
        pic.writePort(0x20, 0x80);
        pic.raiseIrq(6);
        assertEquals(0x0E, pic.acknowledge());
        assertEquals(6, pic.master().lowestPriority());
        pic.writePort(0x20, 0x00);
        pic.raiseIrq(1);
        pic.acknowledge();
        assertEquals(6, pic.master().lowestPriority(), "rotation in AEOI mode was cleared");
    }

    @Test
    void specialMaskModeLetsLowerLevelsInWhileTheServicedOneIsMasked() {
        pic.raiseIrq(3);
        pic.acknowledge();
        pic.raiseIrq(5);
        assertFalse(pic.hasInterrupt());
        pic.writePort(0x21, 0x08);
        assertFalse(pic.hasInterrupt(), "a mask alone does not lift the in-service block");
        pic.writePort(0x20, 0x68);
        assertTrue(pic.master().specialMaskMode());
        assertTrue(pic.hasInterrupt());
        assertEquals(0x0D, pic.acknowledge());
        pic.writePort(0x20, 0x48);
        assertFalse(pic.master().specialMaskMode());
    }

    @Test
    void pollCommandAcknowledgesTheHighestRequest() {
        pic.writePort(0x20, 0x0C);
        assertEquals(0x00, pic.readPort(0x20), "no request: I bit clear");
        pic.raiseIrq(6);
        pic.raiseIrq(4);
        pic.writePort(0x20, 0x0C);
        assertEquals(0x84, pic.readPort(0x20));
        assertEquals(0x10, masterIsr());
        pic.writePort(0x20, READ_IRR);
        assertEquals(0x40, pic.readPort(0x20), "the poll is a one-shot; reads go back to IRR");
    }

    @Test
    void slaveInterruptsArriveThroughIrq2() {
        pic.raiseIrq(12);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x74, pic.acknowledge());
        assertEquals(0x04, masterIsr());
        pic.writePort(0xA0, READ_ISR);
        assertEquals(0x10, pic.readPort(0xA0));
        pic.raiseIrq(8);
        assertFalse(pic.hasInterrupt(), "IR2 in service on the master blocks the slave without SFNM");
        pic.writePort(0xA0, NON_SPECIFIC_EOI);
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x70, pic.acknowledge());
    }

    @Test
    void twoSlaveRequestsBothGetServedInPriorityOrder() {
        pic.raiseIrq(14);
        pic.raiseIrq(9);
        assertEquals(0x71, pic.acknowledge());
        pic.writePort(0xA0, NON_SPECIFIC_EOI);
        pic.writePort(0x20, NON_SPECIFIC_EOI);
        assertEquals(0x76, pic.acknowledge());
    }

    @Test
    void slaveInAutoEoiWithAnotherRequestPendingStillReachesTheCpu() {
        init(0x11, 0x03, 0x03);
        pic.raiseIrq(9);
        pic.raiseIrq(14);
        assertEquals(0x71, pic.acknowledge());
        assertTrue(pic.hasInterrupt());
        assertEquals(0x76, pic.acknowledge());
    }

    @Test
    void specialFullyNestedModeLetsAHigherSlaveRequestThroughButNotLowerMasterOnes() {
        init(0x11, 0x11, 0x01);
        assertTrue(pic.master().specialFullyNested());
        pic.raiseIrq(12);
        assertEquals(0x74, pic.acknowledge());
        pic.raiseIrq(3);
        assertFalse(pic.hasInterrupt(), "IRQ 3 is below IR2 in service");
        pic.raiseIrq(9);
        assertTrue(pic.hasInterrupt());
        assertEquals(0x71, pic.acknowledge());
    }

    @Test
    void cpuIsToldWhenIntrChanges() {
        List<Boolean> seen = new ArrayList<>();
        pic.connectCpu(seen::add);
        pic.raiseIrq(7);
        pic.acknowledge();
        assertEquals(List.of(false, true, false), seen);
    }

    @Test
    void unknownPortsAndIrqsAreRejectedPolitely() {
        assertEquals(0xFF, pic.readPort(0x22));
        assertThrows(IllegalArgumentException.class, () -> pic.raiseIrq(16));
        assertThrows(IllegalArgumentException.class, () -> pic.raiseIrq(2), "IRQ 2 is the cascade");
        pic.irqLine(13).raise();
        assertEquals(0x75, pic.acknowledge());
    }
}
