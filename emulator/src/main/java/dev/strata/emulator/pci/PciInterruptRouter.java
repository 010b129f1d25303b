package dev.strata.emulator.pci;

import dev.strata.emulator.device.IrqLine;
import java.util.function.IntFunction;

/**
 * Carries PCI interrupts to the ISA interrupt controller the way a 440FX/PIIX3 board does: each card's INTx# pin
 * is wired to one of the four PIRQ lines ({@link I440fxPciSystem#pirqOf}), several pins may share a PIRQ (the
 * wires are open-drain, so the PIRQ is active while any of them is), and the PIIX3's PIRQ route control registers
 * steer each PIRQ to an ISA IRQ. Re-routing moves an active interrupt to its new IRQ at once.
 *
 * <p>PCI interrupts are level-triggered: the BIOS must mark the routed IRQs level in the ELCR (4D0h/4D1h).
 */
public final class PciInterruptRouter {

    private static final int PIRQS = Piix3IsaBridge.PIRQ_COUNT;
    private static final int ISA_IRQS = 16;

    private final Piix3IsaBridge isaBridge;
    private final IrqLine[] isaIrqs = new IrqLine[ISA_IRQS];
    /** How many pins hold each PIRQ active. */
    private final int[] activePins = new int[PIRQS];
    /** The ISA IRQ levels this router drives now, bit n for IRQ n. */
    private int drivenIrqs;

    /**
     * A router that reads the PIRQ registers of {@code isaBridge} and drives ISA IRQs through {@code isaIrq}
     * (for example {@code pic::irqLine}).
     */
    public PciInterruptRouter(Piix3IsaBridge isaBridge, IntFunction<IrqLine> isaIrq) {
        if (isaBridge == null || isaIrq == null) {
            throw new IllegalArgumentException("the interrupt router needs the PIIX3 and the ISA IRQ lines");
        }
        this.isaBridge = isaBridge;
        for (int irq = 0; irq < ISA_IRQS; irq++) {
            isaIrqs[irq] = isaIrq.apply(irq);
        }
        isaBridge.onPirqRoutingChanged(this::update);
    }

    /** Connects the INTx# pin of every function on {@code bus} that has one to its PIRQ. */
    public void connectAll(PciBus bus) {
        for (PciBus.Slot slot : bus.slots()) {
            int pin = slot.pciFunction().interruptPin();
            if (pin != 0) {
                slot.pciFunction().connectInterrupt(pinLine(slot.device(), pin));
            }
        }
    }

    /** A new wire for pin {@code pin} (1..4) of a card in slot {@code device}, joined to that slot's PIRQ. */
    public IrqLine pinLine(int device, int pin) {
        int pirq = I440fxPciSystem.pirqOf(device, pin);
        return new IrqLine() {
            private boolean level;

            @Override
            public void setLevel(boolean high) {
                if (high != level) {
                    level = high;
                    activePins[pirq] += high ? 1 : -1;
                    update();
                }
            }
        };
    }

    /** True while PIRQ {@code pirq} (0..3) is active, whatever its routing. */
    public boolean isPirqActive(int pirq) {
        return activePins[pirq] > 0;
    }

    private void update() {
        int wanted = 0;
        for (int pirq = 0; pirq < PIRQS; pirq++) {
            int irq = isaBridge.pirqIrq(pirq);
            if (activePins[pirq] > 0 && irq >= 0) {
                wanted |= 1 << irq;
            }
        }
        int changed = wanted ^ drivenIrqs;
        drivenIrqs = wanted;
        for (int irq = 0; changed != 0; irq++, changed >>>= 1) {
            if ((changed & 1) != 0) {
                isaIrqs[irq].setLevel((wanted >>> irq & 1) != 0);
            }
        }
    }
}
