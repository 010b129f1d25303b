package dev.strata.bios;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.machine.PcHardware;
import dev.strata.storage.image.DiskImage;
import java.io.IOException;

/**
 * INT 19h (bootstrap) and INT 18h (no bootable device). INT 19h tries the devices of the user's boot order left
 * to right, reads sector 0 of the first that has one to 0000:7C00 (a hard disk's must end in 55AAh) and jumps
 * there with DL = the BIOS drive number; when none boots it returns, and the ROM's INT 18h prints the message.
 */
final class BootServices {

    static final int LOAD_ADDRESS = 0x7C00;

    private final PcHardware hw;
    private final VideoServices video;
    private final byte[] sector = new byte[512];

    BootServices(PcHardware hw, VideoServices video) {
        this.hw = hw;
        this.video = video;
    }

    void boot(BiosCall c) {
        String order = hw.bootOrder() == null || hw.bootOrder().isEmpty() ? "a" : hw.bootOrder();
        for (int i = 0; i < order.length(); i++) {
            char device = Character.toLowerCase(order.charAt(i));
            if (device == 'a' || device == 'b') {
                int drive = device - 'a';
                if (load(hw.floppy(drive), false)) {
                    video.print("Booting from floppy " + Character.toUpperCase(device) + ":...\n");
                    jump(c, drive);
                    return;
                }
            } else if (device == 'c') {
                // INT 13h serves no hard disk yet, so a loaded boot sector could not read on: skip it.
                if (hw.hardDisk(0) != null) {
                    video.print("Hard disk boot is not supported by this BIOS yet.\n");
                }
            }
        }
    }

    /** INT 18h: nothing to boot; the ROM then halts with interrupts on. */
    void noBootableDevice(BiosCall c) {
        video.print("No bootable device. Insert a boot disk and restart the machine.\n");
        Cpu cpu = c.cpu;
        cpu.r[Cpu.ESP] = cpu.r[Cpu.ESP] & 0xFFFF0000 | (cpu.r[Cpu.ESP] + 6) & 0xFFFF;
        cpu.loadSegment(Cpu.CS, BiosRom.SEGMENT);
        cpu.eip = BiosRom.HALT_LOOP;
    }

    private boolean load(DiskImage image, boolean needSignature) {
        if (image == null || image.size() < 512) {
            return false;
        }
        try {
            image.read(0, sector, 0, 512);
        } catch (IOException e) {
            return false;
        }
        if (needSignature && ((sector[510] & 0xFF) != 0x55 || (sector[511] & 0xFF) != 0xAA)) {
            return false;
        }
        for (int i = 0; i < 512; i++) {
            hw.memory().write8(LOAD_ADDRESS + i, sector[i]);
        }
        return true;
    }

    /** Leaves the INT 19h frame behind and starts the boot sector at 0000:7C00 with interrupts on. */
    private void jump(BiosCall c, int drive) {
        Cpu cpu = c.cpu;
        cpu.r[Cpu.ESP] = cpu.r[Cpu.ESP] & 0xFFFF0000 | (cpu.r[Cpu.ESP] + 6) & 0xFFFF;
        cpu.r[Cpu.EDX] = drive;
        cpu.loadSegment(Cpu.CS, 0);
        cpu.eip = LOAD_ADDRESS;
        Flags.set(cpu, Flags.IF, Flags.IF);
    }
}
