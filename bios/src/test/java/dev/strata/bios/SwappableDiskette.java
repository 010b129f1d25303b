package dev.strata.bios;

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
import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.storage.image.DiskImage;

/**
 * The BIOS's view of a real machine with the diskette in drive A: held by the test, which can write-protect it or
 * swap it while the machine runs (PcMachine opens its diskettes itself, writable whenever the user may write the
 * file, and has no media change). Everything else is the machine's own.
 */
final class SwappableDiskette implements PcHardware {

    private final PcMachine machine;
    DiskImage driveA;

    /** Shows {@code diskette} in drive A: of {@code pc}'s machine from now on; POST has not run yet. */
    static SwappableDiskette insert(BiosTestPc pc, DiskImage diskette) {
        SwappableDiskette view = new SwappableDiskette(pc.machine, diskette);
        pc.machine.firmware().powerOn(view);
        return view;
    }

    private SwappableDiskette(PcMachine machine, DiskImage diskette) {
        this.machine = machine;
        this.driveA = diskette;
    }

    @Override
    public DiskImage floppy(int drive) {
        return drive == 0 ? driveA : machine.floppy(drive);
    }

    @Override
    public Cpu cpu() {
        return machine.cpu();
    }

    @Override
    public PhysicalMemory memory() {
        return machine.memory();
    }

    @Override
    public IoBus io() {
        return machine.io();
    }

    @Override
    public MachineClock clock() {
        return machine.clock();
    }

    @Override
    public DualPic pic() {
        return machine.pic();
    }

    @Override
    public Pit8254 pit() {
        return machine.pit();
    }

    @Override
    public Mc146818Rtc rtc() {
        return machine.rtc();
    }

    @Override
    public Kbc8042 keyboardController() {
        return machine.keyboardController();
    }

    @Override
    public VgaDevice vga() {
        return machine.vga();
    }

    @Override
    public Uart16550 serial(int index) {
        return machine.serial(index);
    }

    @Override
    public PostCodePort postPort() {
        return machine.postPort();
    }

    @Override
    public long memorySize() {
        return machine.memorySize();
    }

    @Override
    public DiskImage hardDisk(int index) {
        return machine.hardDisk(index);
    }

    @Override
    public DiskImage sataHardDisk(int port) {
        return machine.sataHardDisk(port);
    }

    @Override
    public DiskImage sataCdrom(int port) {
        return machine.sataCdrom(port);
    }

    @Override
    public DiskImage cdrom() {
        return machine.cdrom();
    }

    @Override
    public String bootOrder() {
        return machine.bootOrder();
    }

    @Override
    public void requestPowerOff() {
        machine.requestPowerOff();
    }

    @Override
    public void requestReset() {
        machine.requestReset();
    }
}
