/**
 * A whole PC: {@link dev.strata.emulator.machine.MachineSettings} say what to build,
 * {@link dev.strata.emulator.machine.PcMachine} wires memory map, A20, port bus, devices, interrupts, PCI and drives
 * (and is the {@link dev.strata.emulator.machine.PcHardware} a {@link dev.strata.emulator.machine.Firmware} sees),
 * and {@link dev.strata.emulator.machine.MachineRunner} runs it on its own thread in clock-sized CPU batches,
 * handling HLT, resets and power-off. {@link dev.strata.emulator.machine.OutputExpectations} waits for texts on
 * COM1, E9h or the screen, for guest tests and {@code strata run --expect}.
 *
 * <p>Ports: PIC 20h/21h/A0h/A1h/4D0h/4D1h, PIT 40h-43h, port B 61h, keyboard controller 60h/64h, RTC 70h/71h,
 * POST 80h, port A 92h (fast A20, reset), debug console E9h, COM1-4 3F8h/2F8h/3E8h/2E8h, VGA 3B4h-3BAh and
 * 3C0h-3DAh, PCI configuration CF8h-CFFh with reset control CF9h. IRQs: 0 PIT, 1 keyboard, 3/4 serial, 8 RTC,
 * 12 aux, PCI PIRQs as the PIIX3 routes them.
 */
package dev.strata.emulator.machine;
