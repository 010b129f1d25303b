package dev.strata.emulator.machine;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.device.debug.PostCodePort;
import dev.strata.emulator.device.keyboard.Kbc8042;
import dev.strata.emulator.device.pic.DualPic;
import dev.strata.emulator.device.pit.Pit8254;
import dev.strata.emulator.device.rtc.Mc146818Rtc;
import dev.strata.emulator.device.uart.Uart16550;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.I440fxPciSystem;
import dev.strata.storage.image.DiskImage;

/**
 * What firmware sees of a PC: the CPU, memory, buses, devices and drives of one machine. The machine implements
 * it; Strata's BIOS services use it the way real BIOS code uses ports and memory, plus direct access to the
 * disk images for INT 13h.
 */
public interface PcHardware {

    Cpu cpu();

    PhysicalMemory memory();

    IoBus io();

    MachineClock clock();

    DualPic pic();

    Pit8254 pit();

    Mc146818Rtc rtc();

    Kbc8042 keyboardController();

    VgaDevice vga();

    /** COM1..COM4 as index 0..3, or null where no UART is fitted. */
    Uart16550 serial(int index);

    PostCodePort postPort();

    /** The 440FX/PIIX3 PCI bus (host bridge, ISA bridge with PIRQ routing, IDE function); null without PCI. */
    default I440fxPciSystem pci() {
        return null;
    }

    /** Guest RAM in bytes (what INT 12h, 15h/88h, E801h and E820h report from). */
    long memorySize();

    /** The floppy in drive A: (0) or B: (1), or null when the drive is empty or absent. */
    DiskImage floppy(int drive);

    /** Hard disk 0..3 (BIOS drives 80h..83h), or null. Issue 5's controllers use the same images. */
    DiskImage hardDisk(int index);

    /**
     * The hard disk on SATA port {@code port} (0..5) of the AHCI controller, or null (an empty port, a CD drive, or
     * no controller). The BIOS numbers SATA disks after the IDE disks.
     */
    default DiskImage sataHardDisk(int port) {
        return null;
    }

    /** The ISO image in the CD drive on SATA port {@code port}, or null. */
    default DiskImage sataCdrom(int port) {
        return null;
    }

    /** The ISO image in the CD-ROM drive (BIOS El Torito boot and INT 13h on the CD's drive number), or null. */
    default DiskImage cdrom() {
        return null;
    }

    /** A Linux kernel to boot instead of the boot order's drives (the firmware loads it at INT 19h), or null. */
    default KernelBoot kernelBoot() {
        return null;
    }

    /** The boot order the user chose, e.g. "a", "c", "d", "ac" (tried left to right). */
    String bootOrder();

    /** Asks the machine to power off after the current instruction (APM/ACPI-less: the BIOS's own way out). */
    void requestPowerOff();

    /** Asks the machine to reset (as the keyboard controller's reset line or a triple fault does). */
    void requestReset();
}
