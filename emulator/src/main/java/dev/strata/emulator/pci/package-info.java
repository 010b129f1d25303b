/**
 * The PCI bus of a 440FX/PIIX3 PC: configuration mechanism #1 ({@link dev.strata.emulator.pci.PciConfigPorts}),
 * bus 0 with its device/function slots ({@link dev.strata.emulator.pci.PciBus}), the configuration space every
 * function shares ({@link dev.strata.emulator.pci.PciFunction}, BARs as {@link dev.strata.emulator.pci.PciBar}),
 * and the chipset's own functions, assembled by {@link dev.strata.emulator.pci.I440fxPciSystem}. A new PCI device
 * is one subclass of {@code PciFunction} and one {@code register} call.
 */
package dev.strata.emulator.pci;
