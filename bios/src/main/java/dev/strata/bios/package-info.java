/**
 * Strata's own PC BIOS: a small ROM of x86 trap stubs whose services are written in Java, so a reader can follow
 * every BIOS call in plain Java.
 *
 * <h2>How a BIOS call runs</h2>
 * The interrupt vector table points each BIOS service vector (10h-1Ah) at an 8-byte stub in the ROM
 * ({@link dev.strata.bios.BiosRom}). The stub executes {@code OUT 0E5h,AL}; {@link dev.strata.bios.StrataBios}
 * owns port E5h ({@link dev.strata.bios.StrataBios#SERVICE_PORT}), works out from the address of that OUT which
 * vector was called, and runs the service class for it on the CPU's live registers. Results go back in the
 * registers and, for CF and ZF, in the FLAGS image on the stack, which the stub's {@code IRET} pops. A service that
 * must wait (a key for INT 16h AH=00h, time for INT 15h AH=86h) never blocks Java: it sends the CPU to the stub's
 * {@code STI; HLT} and is asked again after the next interrupt.
 *
 * <h2>Where things are</h2>
 * <ul>
 * <li>{@link dev.strata.bios.Post}: power-on self test (PIC, PIT, keyboard controller, vectors, BIOS data area,
 *     EBDA, CMOS, video mode 3 and the banner), entered from the reset vector's code.</li>
 * <li>{@link dev.strata.bios.VideoServices} INT 10h, {@link dev.strata.bios.DiskServices} INT 13h,
 *     {@link dev.strata.bios.SerialServices} INT 14h, {@link dev.strata.bios.SystemServices} INT 11h/12h/15h/17h,
 *     {@link dev.strata.bios.KeyboardServices} IRQ 1 and INT 16h, {@link dev.strata.bios.BootServices} INT 18h/19h,
 *     {@link dev.strata.bios.TimeServices} IRQ 0 and INT 1Ah.</li>
 * <li>The IRQ 0 and IRQ 1 handlers are ROM code that enters Java once and keeps the parts guests hook in x86:
 *     INT 1Ch after each tick, INT 15h AH=4Fh before each scan code, INT 1Bh on Ctrl-Break, then the EOI.</li>
 * </ul>
 *
 * <h2>What the machine provides</h2>
 * A {@link dev.strata.emulator.machine.PcHardware}: the ROM image mapped at F0000h-FFFFFh, the VGA's memory window
 * on the memory bus (the services write text to B8000h/B0000h through {@code memory()}), the PC devices on their
 * usual ports, the A20 gate of the keyboard controller wired to the memory, and
 * {@link dev.strata.emulator.machine.Firmware#powerOn} called before the CPU starts at F000:FFF0.
 */
package dev.strata.bios;
