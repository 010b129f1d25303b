package dev.strata.emulator.monitor;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.Segment;
import dev.strata.emulator.cpu.decode.BlockCache;
import dev.strata.emulator.cpu.paging.LinearPeek;
import dev.strata.emulator.machine.Firmware;
import dev.strata.emulator.machine.PcMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The monitor's {@code info} commands, as QEMU's: the readable state of one part of a {@link PcMachine}. Call on
 * the CPU thread (between batches) or while the machine is paused, so the parts are seen at one instant.
 */
public final class MachineInfo {

    /** The topics, in the order {@code info} lists them. */
    public static final List<String> TOPICS = List.of("cpu", "mem", "pic", "pit", "rtc", "ide", "ahci", "pci",
            "tlb", "blocks", "bios-calls");
    /** The most bytes one {@code info mem} shows. */
    public static final int MAX_MEM = 4096;

    private final PcMachine machine;

    public MachineInfo(PcMachine machine) {
        this.machine = machine;
    }

    /**
     * The lines for {@code topic}; {@code mem} takes a linear address and a length (hex with 0x or h, or decimal).
     * Throws {@link IllegalArgumentException} naming the topic or argument that is wrong.
     */
    public List<String> show(String topic, List<String> args) {
        boolean mem = "mem".equals(topic);
        if (!mem && !args.isEmpty()) {
            throw new IllegalArgumentException("info " + topic + " takes no arguments");
        }
        return switch (topic) {
            case "cpu" -> cpu();
            case "mem" -> memory(args);
            case "pic" -> StateView.of(machine.pic());
            case "pit" -> StateView.of(machine.pit());
            case "rtc" -> StateView.of(machine.rtc());
            case "ide" -> StateView.of(machine.ide());
            case "ahci" -> ahci();
            case "pci" -> StateView.of(machine.pci());
            case "tlb" -> tlb();
            case "blocks" -> blocks();
            case "bios-calls" -> biosCalls();
            default -> throw new IllegalArgumentException("unknown info topic '" + topic + "'; the topics are "
                    + String.join(", ", TOPICS));
        };
    }

    /** The firmware's recent service calls, oldest first, under how many there were since power-on. */
    private List<String> biosCalls() {
        Firmware firmware = machine.firmware();
        List<String> recent = firmware.recentCalls();
        if (firmware.serviceCalls() == 0 && recent.isEmpty()) {
            return List.of("no BIOS service calls seen: " + firmware.description() + " has none in Java");
        }
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%,d service calls since power-on (the timer's and keyboard's interrupts"
                + " counted too); the last %d requests, oldest first (POST: the power-on self test):",
                firmware.serviceCalls(), recent.size()));
        out.addAll(recent);
        return out;
    }

    private List<String> cpu() {
        Cpu c = machine.cpu();
        List<String> out = new ArrayList<>();
        String[] names = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
        for (int row = 0; row < 8; row += 4) {
            out.add(String.format(Locale.ROOT, "%s=%08x %s=%08x %s=%08x %s=%08x", names[row], c.r[row],
                    names[row + 1], c.r[row + 1], names[row + 2], c.r[row + 2], names[row + 3], c.r[row + 3]));
        }
        int flags = Flags.get(c);
        out.add(String.format(Locale.ROOT, "EIP=%08x EFL=%08x [%s] CPL=%d %s%s", c.eip, flags, flagLetters(flags),
                c.cpl, mode(c), c.halted ? " HLT" : ""));
        String[] segs = {"ES", "CS", "SS", "DS", "FS", "GS"};
        for (int s = 0; s < 6; s++) {
            out.add(segment(segs[s], c.seg[s]));
        }
        out.add(segment("LDT", c.ldt));
        out.add(segment("TR", c.task));
        out.add(String.format(Locale.ROOT, "GDT=     %08x %08x", c.gdtBase, c.gdtLimit));
        out.add(String.format(Locale.ROOT, "IDT=     %08x %08x", c.idtBase, c.idtLimit));
        out.add(String.format(Locale.ROOT, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x", c.cr0, c.cr2, c.cr3, c.cr4));
        out.add(String.format(Locale.ROOT, "instructions=%d A20=%s", c.instructions,
                machine.memory().a20() ? "on" : "off"));
        return out;
    }

    private static String segment(String name, Segment s) {
        return String.format(Locale.ROOT, "%-3s =%04x %08x %08x %04x", name, s.selector, s.base, s.limit,
                s.attributes);
    }

    private static String mode(Cpu c) {
        if (c.realMode()) {
            return "real mode";
        }
        if ((c.eflags & Flags.VM) != 0) {
            return "virtual-8086 mode";
        }
        return (c.cs.big() ? "32" : "16") + "-bit protected mode" + (c.paging ? ", paging" : "");
    }

    private static String flagLetters(int f) {
        String letters = "ODITSZAPC";
        int[] bits = {Flags.OF, Flags.DF, Flags.IF, Flags.TF, Flags.SF, Flags.ZF, Flags.AF, Flags.PF, Flags.CF};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bits.length; i++) {
            b.append((f & bits[i]) != 0 ? letters.charAt(i) : '-');
        }
        return b.toString();
    }

    private List<String> memory(List<String> args) {
        if (args.size() != 2) {
            throw new IllegalArgumentException("info mem takes a linear ADDRESS and a LENGTH, e.g. info mem 0x7c00 64");
        }
        long address = number(args.get(0), "ADDRESS");
        long length = number(args.get(1), "LENGTH");
        if (address > 0xFFFFFFFFL || length < 1 || length > MAX_MEM) {
            throw new IllegalArgumentException("info mem: ADDRESS must be below 4 GiB and LENGTH 1 to " + MAX_MEM
                    + ", got " + args.get(0) + " " + args.get(1));
        }
        byte[] bytes = new LinearPeek(machine.cpu(), machine.memory()).read(address, (int) length);
        List<String> out = new ArrayList<>();
        for (int row = 0; row < bytes.length; row += 16) {
            StringBuilder hex = new StringBuilder(String.format(Locale.ROOT, "%08x:", address + row));
            StringBuilder text = new StringBuilder();
            for (int i = row; i < Math.min(row + 16, bytes.length); i++) {
                int v = bytes[i] & 0xFF;
                hex.append(String.format(Locale.ROOT, " %02x", v));
                text.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
            }
            out.add(String.format(Locale.ROOT, "%-57s %s", hex, text));
        }
        if (bytes.length < length) {
            out.add(String.format(Locale.ROOT, "%08x: not mapped (page not present)", address + bytes.length));
        }
        return out;
    }

    private static long number(String text, String what) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("0x")) {
                return Long.parseLong(t.substring(2), 16);
            }
            if (t.endsWith("h")) {
                return Long.parseLong(t.substring(0, t.length() - 1), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("info mem: " + what + " '" + text + "' is not a number (hex with 0x"
                    + " or h, or decimal)");
        }
    }

    private List<String> ahci() {
        if (machine.ahci() == null) {
            throw new IllegalArgumentException("info ahci: this machine has no AHCI controller (it gets one when a"
                    + " SATA drive is attached)");
        }
        return new AhciInfo(machine.ahci()).lines();
    }

    private List<String> tlb() {
        Cpu c = machine.cpu();
        List<String> out = new ArrayList<>();
        if (!c.paging) {
            out.add("paging is off: linear addresses are physical");
            return out;
        }
        c.mmu.forEachEntry((linear, physical, writable, user, global) -> out.add(String.format(Locale.ROOT,
                "%08x -> %08x %s %s%s", linear, physical, writable ? "rw" : "ro", user ? "user" : "supervisor",
                global ? " global" : "")));
        out.add(0, out.size() + " cached translations (read; rw once a write has used them)");
        return out;
    }

    private List<String> blocks() {
        Cpu c = machine.cpu();
        BlockCache.Census census = c.blockCensus();
        long hits = c.blockHits();
        long misses = c.blockMisses();
        return List.of(
                String.format(Locale.ROOT, "decoded blocks: %d (%d instructions, %d translated) on %d pages",
                        census.blocks(), census.instructions(), census.translated(), census.codePages()),
                String.format(Locale.ROOT, "lookups: %d hits, %d misses (hit rate %.2f%%)", hits, misses,
                        hits + misses == 0 ? 0.0 : 100.0 * hits / (hits + misses)),
                "translating tier: " + c.jit().name().toLowerCase(Locale.ROOT));
    }
}
