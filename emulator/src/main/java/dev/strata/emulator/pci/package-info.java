/**
 * The PCI bus of a 440FX/PIIX3 PC: configuration mechanism #1 ({@link dev.strata.emulator.pci.PciConfigPorts}),
 * bus 0 with its device/function slots ({@link dev.strata.emulator.pci.PciBus}), the configuration space every
 * function shares ({@link dev.strata.emulator.pci.PciFunction}, BARs as {@link dev.strata.emulator.pci.PciBar}),
 * and the chipset's own functions, assembled by {@link dev.strata.emulator.pci.I440fxPciSystem}. A new PCI device
 * is one subclass of {@code PciFunction} (its BARs declared and their windows connected with {@code connectBar})
 * and one {@code register} call; {@link dev.strata.emulator.pci.PciBarMapper} maps the windows on the port bus
 * and in the memory map wherever the guest programs the BARs, and {@link
 * dev.strata.emulator.pci.PciInterruptRouter} carries INTx# through the PIIX3's PIRQ routing.
 */
package dev.strata.emulator.pci;
