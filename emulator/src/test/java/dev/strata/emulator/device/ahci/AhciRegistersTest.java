package dev.strata.emulator.device.ahci;

import static dev.strata.emulator.device.ahci.AhciRegisters.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.pci.PciConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AhciRegistersTest {

    @TempDir
    Path dir;

    @Test
    void pciFunctionIsAnIch9AhciControllerWithAbarInBar5AndIntA() {
        AhciTestRig rig = new AhciTestRig();
        assertEquals(0x8086, rig.pci.vendorId());
        assertEquals(0x2922, rig.pci.deviceId());
        assertEquals(0x010601, rig.pci.classCode());
        assertEquals(1, rig.pci.interruptPin());
        rig.pci.writeConfig(PciConfig.bar(5), 4, -1);
        assertEquals(0xFFFF_F800, rig.pci.readConfig(PciConfig.bar(5), 4), "2 KiB, 32-bit, not prefetchable");
    }

    @Test
    void noCapabilityListSoNoMsiWithoutALocalApic() {
        AhciTestRig rig = new AhciTestRig();
        assertEquals(0, rig.pci.readConfig(PciConfig.STATUS, 2) & PciConfig.STATUS_CAPABILITIES);
        assertEquals(0, rig.pci.readConfig(PciConfig.CAPABILITIES, 1));
    }

    @Test
    void genericRegistersDescribeSixPortsThirtyTwoSlotsNcqAndAhci13() {
        AhciTestRig rig = new AhciTestRig();
        int cap = rig.read(CAP);
        assertEquals(5, cap & 0x1F);
        assertEquals(31, cap >>> 8 & 0x1F);
        assertTrue((cap & CAP_SNCQ) != 0);
        assertTrue((cap & CAP_SAM) != 0);
        assertTrue((cap & CAP_SCLO) != 0);
        assertEquals(0, cap & (1 << 31), "32-bit addressing only");
        assertEquals(0x3F, rig.read(PI));
        assertEquals(0x0001_0300, rig.read(VS));
        assertEquals(0, rig.read(CAP2));
        assertEquals(GHC_AE, rig.read(GHC));
    }

    @Test
    void ghcKeepsAhciEnableAndStoresInterruptEnable() {
        AhciTestRig rig = new AhciTestRig();
        rig.write(GHC, GHC_IE);
        assertEquals(GHC_AE | GHC_IE, rig.read(GHC));
        rig.write(GHC, 0);
        assertEquals(GHC_AE, rig.read(GHC));
    }

    @Test
    void emptyPortShowsNoDeviceAndDiskPortShowsLinkSignatureAndReadyStatus() throws Exception {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachDisk(1, AhciTestRig.rawDisk(dir, "d.img", 64));
        assertEquals(0, rig.port(0, PX_SSTS));
        assertEquals(TFD_NO_DEVICE, rig.port(0, PX_TFD));
        assertEquals(0xFFFF_FFFF, rig.port(0, PX_SIG));
        assertEquals(SSTS_ONLINE, rig.port(1, PX_SSTS));
        assertEquals(0x0000_0101, rig.port(1, PX_SIG));
        assertEquals(0x50, rig.port(1, PX_TFD) & 0xFF);
    }

    @Test
    void cdromPortShowsThePacketSignature() {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachCdrom(2);
        assertEquals(0xEB14_0101, rig.port(2, PX_SIG));
    }

    @Test
    void baseRegistersKeepTheirAlignment() {
        AhciTestRig rig = new AhciTestRig();
        rig.port(0, PX_CLB, 0x1234_5678);
        rig.port(0, PX_FB, 0x1234_5678);
        assertEquals(0x1234_5400, rig.port(0, PX_CLB));
        assertEquals(0x1234_5600, rig.port(0, PX_FB));
        rig.port(0, PX_CLBU, 5);
        assertEquals(0, rig.port(0, PX_CLBU), "a 32-bit HBA has no upper base");
    }

    @Test
    void commandRegisterReportsRunningAndFisReceiveAndOverridesBusy() throws Exception {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachDisk(0, AhciTestRig.rawDisk(dir, "d.img", 64));
        rig.port(0, PX_CMD, CMD_FRE);
        assertEquals(CMD_FRE | CMD_FR | CMD_SUD | CMD_POD, rig.port(0, PX_CMD));
        rig.port(0, PX_CMD, CMD_FRE | CMD_ST);
        assertEquals(CMD_CR, rig.port(0, PX_CMD) & CMD_CR);
        rig.port(0, PX_CMD, 0);
        assertEquals(0, rig.port(0, PX_CMD) & (CMD_CR | CMD_FR));
        rig.port(0, PX_SCTL, SCTL_DET_COMRESET);
        assertEquals(0x80, rig.port(0, PX_TFD) & 0xFF);
        rig.port(0, PX_CMD, CMD_CLO);
        assertEquals(0, rig.port(0, PX_TFD) & 0x88, "command list override clears BSY and DRQ");
        assertEquals(0, rig.port(0, PX_CMD) & CMD_CLO, "CLO clears itself");
    }

    @Test
    void comresetThroughSctlTakesTheLinkDownAndBringsTheSignatureBack() throws Exception {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachDisk(0, AhciTestRig.rawDisk(dir, "d.img", 64));
        rig.start(0);
        rig.port(0, PX_SERR, -1);
        rig.port(0, PX_SCTL, 0x301);
        assertEquals(0, rig.port(0, PX_SSTS) & 0xF);
        rig.port(0, PX_SCTL, 0x300);
        assertEquals(3, rig.port(0, PX_SSTS) & 0xF);
        assertEquals(0x300, rig.port(0, PX_SCTL));
        assertEquals(0x101, rig.port(0, PX_SIG));
        assertEquals(SERR_EXCHANGED, rig.port(0, PX_SERR));
        rig.port(0, PX_SERR, SERR_EXCHANGED);
        assertEquals(0, rig.port(0, PX_SERR), "SERR bits clear when written with 1");
        assertEquals(FIS_D2H, rig.rx(0, RX_D2H));
        assertEquals(0x50, rig.rx(0, RX_D2H + 2));
        assertEquals(1, rig.rx(0, RX_D2H + 12), "signature sector count");
    }

    @Test
    void interruptNeedsPortEnableAndGlobalEnableAndClearsThroughPxIsThenIs() throws Exception {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachDisk(0, AhciTestRig.rawDisk(dir, "d.img", 64));
        rig.start(0);
        rig.port(0, PX_IE, 0);
        rig.issue(0, 0, 0, AhciTestRig.command(0xE7, 0, 0, 0)); // FLUSH CACHE
        assertEquals(IS_DHRS, rig.port(0, PX_IS));
        assertEquals(0, rig.read(IS));
        assertFalse(rig.inta.high, "PxIE masks the port");
        rig.port(0, PX_IE, IS_DHRS);
        assertEquals(1, rig.read(IS));
        assertTrue(rig.inta.high);
        rig.write(GHC, GHC_AE);
        assertFalse(rig.inta.high, "GHC.IE off drops INTA#");
        rig.write(GHC, GHC_AE | GHC_IE);
        rig.write(IS, 1);
        assertTrue(rig.inta.high, "IS sets again while PxIS still holds the bit");
        rig.port(0, PX_IS, IS_DHRS);
        rig.write(IS, 1);
        assertEquals(0, rig.read(IS));
        assertFalse(rig.inta.high);
    }

    @Test
    void interruptDisableInThePciCommandRegisterKeepsTheWireLow() throws Exception {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachDisk(0, AhciTestRig.rawDisk(dir, "d.img", 64));
        rig.start(0);
        rig.pci.writeConfig(PciConfig.COMMAND, 2, PciConfig.COMMAND_MEMORY_SPACE | PciConfig.COMMAND_BUS_MASTER
                | PciConfig.COMMAND_INTERRUPT_DISABLE);
        rig.issue(0, 0, 0, AhciTestRig.command(0xE7, 0, 0, 0));
        assertTrue(rig.hba.interruptRequested());
        assertFalse(rig.inta.high);
    }

    @Test
    void hbaResetClearsPortsAndGlobalRegistersAndSelfClears() throws Exception {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachDisk(0, AhciTestRig.rawDisk(dir, "d.img", 64));
        rig.start(0);
        rig.issue(0, 0, 0, AhciTestRig.command(0xE7, 0, 0, 0));
        rig.write(GHC, GHC_HR);
        assertEquals(GHC_AE, rig.read(GHC));
        assertEquals(0, rig.read(IS));
        assertEquals(0, rig.port(0, PX_IS));
        assertEquals(0, rig.port(0, PX_IE));
        assertEquals(0, rig.port(0, PX_CMD) & (CMD_ST | CMD_CR | CMD_FRE));
        assertEquals(0x101, rig.port(0, PX_SIG));
        assertFalse(rig.inta.high);
    }

    @Test
    void commandIssueAndSactiveAreIgnoredOnAStoppedPort() throws Exception {
        AhciTestRig rig = new AhciTestRig();
        rig.hba.attachDisk(0, AhciTestRig.rawDisk(dir, "d.img", 64));
        rig.port(0, PX_CLB, AhciTestRig.commandList(0));
        rig.port(0, PX_FB, AhciTestRig.receivedFis(0));
        rig.port(0, PX_CMD, CMD_FRE);
        rig.build(0, 0, 0, AhciTestRig.command(0xE7, 0, 0, 0), null);
        rig.port(0, PX_SACT, 1);
        rig.port(0, PX_CI, 1);
        assertEquals(0, rig.port(0, PX_CI));
        assertEquals(0, rig.port(0, PX_SACT));
        assertEquals(0, rig.port(0, PX_IS));
    }
}
