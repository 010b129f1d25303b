package dev.strata.emulator.state;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.storage.image.DiskImage;
import java.util.ArrayList;
import java.util.List;

/**
 * What a saved state needs from the machine it is restored onto: memory size, firmware and the drives with their
 * sizes. Written as text lines at the head of the file, so a mismatch can be reported field by field.
 */
public final class MachineDescription {

    private MachineDescription() {
    }

    /** The description lines of {@code machine}, e.g. "memory 32 MiB", "hd0 10485760 bytes". */
    public static List<String> of(PcMachine machine) {
        List<String> lines = new ArrayList<>();
        lines.add("memory " + (machine.memorySize() >> 20) + " MiB");
        lines.add("firmware " + machine.firmware().description());
        for (int i = 0; i < 2; i++) {
            lines.add("fd" + i + " " + drive(machine.floppy(i)));
        }
        for (int i = 0; i < 4; i++) {
            lines.add("hd" + i + " " + drive(machine.hardDisk(i)));
        }
        lines.add("cdrom " + drive(machine.cdrom()));
        // only ports with a drive, so the description of a machine without SATA stays what older files hold
        for (int port = 0; port < MachineSettings.SATA_PORTS; port++) {
            if (machine.sataImage(port) != null) {
                lines.add("sata" + port + " " + (machine.settings().sata(port).dvd() ? "dvd " : "disk ")
                        + drive(machine.sataImage(port)));
            }
        }
        return lines;
    }

    private static String drive(DiskImage image) {
        return image == null ? "none" : image.size() + " bytes";
    }

    /**
     * The differences between a file's description and the machine's, as "memory: file has X, machine has Y"; empty
     * when they match.
     */
    public static List<String> differences(List<String> file, List<String> machine) {
        List<String> out = new ArrayList<>();
        int n = Math.max(file.size(), machine.size());
        for (int i = 0; i < n; i++) {
            String f = i < file.size() ? file.get(i) : "(nothing)";
            String m = i < machine.size() ? machine.get(i) : "(nothing)";
            if (!f.equals(m)) {
                String key = (i < machine.size() ? m : f).split(" ", 2)[0];
                out.add(key + ": the file has '" + f + "', this machine has '" + m + "'");
            }
        }
        return out;
    }
}
