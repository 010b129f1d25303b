package dev.strata.emulator.monitor;

import static dev.strata.emulator.device.ahci.AhciRegisters.*;

import dev.strata.emulator.device.ahci.AhciController;
import dev.strata.emulator.device.ata.SataDevice;
import dev.strata.storage.image.DiskImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The monitor's {@code info ahci}: the AHCI controller's registers as a guest reads them, each in hex with its bits
 * named (the AHCI 1.3 specification's abbreviations), then every implemented port with its registers and the drive
 * on it.
 */
final class AhciInfo {

    /** CAP's flag bits by bit number; null where the bits hold a number (NP, NCS, ISS) or are reserved. */
    private static final String[] CAP_FLAGS = {
        null, null, null, null, null, "external SATA", "enclosure management", "command completion coalescing",
        null, null, null, null, null, "partial state", "slumber state", "PIO multiple DRQ", "FIS-based switching",
        "port multiplier", "AHCI only", null, null, null, null, null, "command list override", "activity LED",
        "aggressive link power management", "staggered spin-up", "mechanical presence switch", "SNotification",
        "NCQ", "64-bit addressing"};
    private static final String[] PORT_INTERRUPTS = {
        "DHRS", "PSS", "DSS", "SDBS", "UFS", "DPS", "PCS", "DMPS", null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, "PRCS", "IPMS", "OFS", null, "INFS", "IFS", "HBDS", "HBFS", "TFES",
        "CPDS"};
    private static final String[] PORT_COMMAND = {
        "ST", "SUD", "POD", "CLO", "FRE", null, null, null, null, null, null, null, null, "MPSS", "FR", "CR", "CPS",
        "PMA", "HPCP", "MPSP", "CPD", "ESP", "FBSCP", "APSTE", "ATAPI", "DLAE", "ALPE", "ASP", null, null, null,
        null};
    private static final String[] ATA_STATUS = {"ERR", null, null, "DRQ", "DSC", "DF", "DRDY", "BSY"};

    private final AhciController ahci;

    AhciInfo(AhciController ahci) {
        this.ahci = ahci;
    }

    List<String> lines() {
        List<String> out = new ArrayList<>();
        int cap = ahci.register(CAP);
        out.add(line("CAP", cap, capabilities(cap)));
        int ghc = ahci.register(GHC);
        out.add(line("GHC", ghc, join(List.of(
                (ghc & GHC_AE) != 0 ? "AHCI enabled" : "AHCI off",
                (ghc & GHC_IE) != 0 ? "interrupts enabled" : "interrupts off",
                (ghc & GHC_HR) != 0 ? "resetting" : ""))));
        out.add(line("IS", ahci.register(IS), bitList("port", ahci.register(IS))));
        int pi = ahci.register(PI);
        out.add(line("PI", pi, bitList("port", pi)));
        int vs = ahci.register(VS);
        out.add(line("VS", vs, String.format(Locale.ROOT, "AHCI %d.%d%s", vs >>> 16, vs >> 8 & 0xFF,
                (vs & 0xFF) == 0 ? "" : "." + (vs & 0xFF))));
        for (int port = 0; port < 32; port++) {
            if ((pi & 1 << port) != 0) {
                port(port, out);
            }
        }
        return out;
    }

    private void port(int n, List<String> out) {
        int base = PORT_BASE + n * PORT_SIZE;
        out.add("port " + n + ": " + (n < AhciController.PORTS ? drive(ahci.device(n)) : "no device"));
        int cmd = ahci.register(base + PX_CMD);
        String slot = "CCS=" + (cmd >> CMD_CCS_SHIFT & 0x1F);
        String icc = (cmd >>> 28) == 0 ? "" : "ICC=" + (cmd >>> 28);
        out.add("  " + line("CMD", cmd, join(List.of(names(PORT_COMMAND, cmd), slot, icc))));
        int tfd = ahci.register(base + PX_TFD);
        // 7Fh is what a port with nothing attached reads, not a set of status bits
        String status = (tfd & 0xFF) == TFD_NO_DEVICE ? "no device" : names(ATA_STATUS, tfd & 0xFF);
        out.add("  " + line("TFD", tfd, String.format(Locale.ROOT, "status %02Xh%s, error %02Xh", tfd & 0xFF,
                status.isEmpty() ? "" : " " + status, tfd >> 8 & 0xFF)));
        int sig = ahci.register(base + PX_SIG);
        out.add("  " + line("SIG", sig, signature(sig)));
        int ssts = ahci.register(base + PX_SSTS);
        out.add("  " + line("SSTS", ssts, sataStatus(ssts)));
        int is = ahci.register(base + PX_IS);
        out.add("  " + line("IS", is, orNone(names(PORT_INTERRUPTS, is))));
        int ie = ahci.register(base + PX_IE);
        out.add("  " + line("IE", ie, orNone(names(PORT_INTERRUPTS, ie))));
        out.add("  " + line("CI", ahci.register(base + PX_CI), bitList("slot", ahci.register(base + PX_CI))));
        out.add("  " + line("SACT", ahci.register(base + PX_SACT),
                bitList("slot", ahci.register(base + PX_SACT))));
        out.add(String.format(Locale.ROOT, "  CLB: 0x%08x  FB: 0x%08x  SCTL: 0x%08x  SERR: 0x%08x",
                ahci.register(base + PX_CLB), ahci.register(base + PX_FB), ahci.register(base + PX_SCTL),
                ahci.register(base + PX_SERR)));
    }

    private static String drive(SataDevice device) {
        if (device == null) {
            return "no device";
        }
        if (device.isPacketDevice()) {
            DiskImage medium = device.cdrom().medium();
            return "CD/DVD drive (ATAPI), " + (medium == null ? "no medium" : "medium " + image(medium));
        }
        return "hard disk, " + image(device.disk().image());
    }

    private static String image(DiskImage image) {
        return size(image.size()) + ", " + image.format() + (image.readOnly() ? " read-only" : "") + ", "
                + image.path();
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    private static String capabilities(int cap) {
        List<String> parts = new ArrayList<>();
        parts.add(((cap & 0x1F) + 1) + " ports");
        parts.add(((cap >> 8 & 0x1F) + 1) + " command slots");
        parts.add(speed(cap >> 20 & 0xF));
        String flags = names(CAP_FLAGS, cap, ", ");
        if (!flags.isEmpty()) {
            parts.add(flags);
        }
        return String.join(", ", parts);
    }

    private static String signature(int sig) {
        return switch (sig) {
            case 0x0000_0101 -> "ATA device";
            case 0xEB14_0101 -> "ATAPI device";
            case 0xC33C_0101 -> "enclosure management bridge";
            case 0x9669_0101 -> "port multiplier";
            case SIG_NO_DEVICE -> "no signature received";
            default -> "unknown";
        };
    }

    private static String sataStatus(int ssts) {
        String det = switch (ssts & 0xF) {
            case 0 -> "no device";
            case 1 -> "device present, no link";
            case 3 -> "device present, link up";
            case 4 -> "offline (PHY off)";
            default -> "DET=" + (ssts & 0xF);
        };
        if ((ssts & 0xF) != 3) {
            return det;
        }
        String ipm = switch (ssts >> 8 & 0xF) {
            case 1 -> "active";
            case 2 -> "partial";
            case 6 -> "slumber";
            case 8 -> "devsleep";
            default -> "IPM=" + (ssts >> 8 & 0xF);
        };
        return det + ", " + speed(ssts >> 4 & 0xF) + ", " + ipm;
    }

    private static String speed(int generation) {
        return switch (generation) {
            case 1 -> "1.5 Gbps";
            case 2 -> "3 Gbps";
            case 3 -> "6 Gbps";
            default -> "speed " + generation;
        };
    }

    private static String line(String name, int value, String meaning) {
        return String.format(Locale.ROOT, "%s: 0x%08x (%s)", name, value, meaning);
    }

    private static String names(String[] table, int value) {
        return names(table, value, " ");
    }

    private static String names(String[] table, int value, String separator) {
        List<String> set = new ArrayList<>();
        for (int bit = 0; bit < table.length; bit++) {
            if ((value & 1 << bit) != 0 && table[bit] != null) {
                set.add(table[bit]);
            }
        }
        return String.join(separator, set);
    }

    /** "port 0", "ports 0, 2", "ports 0-5" or "none" for the bits set in {@code bits}. */
    private static String bitList(String noun, int bits) {
        if (bits == 0) {
            return "none";
        }
        List<String> ranges = new ArrayList<>();
        int bit = 0;
        while (bit < 32) {
            if ((bits & 1 << bit) == 0) {
                bit++;
                continue;
            }
            int end = bit;
            while (end + 1 < 32 && (bits & 1 << end + 1) != 0) {
                end++;
            }
            ranges.add(end == bit ? String.valueOf(bit) : end == bit + 1 ? bit + ", " + end : bit + "-" + end);
            bit = end + 1;
        }
        return noun + (Integer.bitCount(bits) == 1 ? " " : "s ") + String.join(", ", ranges);
    }

    private static String orNone(String text) {
        return text.isEmpty() ? "none" : text;
    }

    private static String join(List<String> parts) {
        return String.join(", ", parts.stream().filter(p -> !p.isEmpty()).toList());
    }
}
