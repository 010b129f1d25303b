package dev.strata.tools.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** A FreeDOS workload on its prepared copy of the floppy, booted from drive A: and timed to its COM1 marker. */
record FreeDosGuest(GuestWorkload workload, Path image) implements BenchGuest {

    @Override
    public String name() {
        return workload.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<Checkpoint> checkpoints() {
        return List.of(new Checkpoint("done", GuestWorkload.MARKER));
    }

    @Override
    public List<String> strataArguments() {
        return List.of("run", "--headless", "--fda", image.toString(), "--expect", GuestWorkload.MARKER);
    }

    /** TCG, a Pentium II without APIC or ACPI, COM1 on standard output. */
    @Override
    public List<String> qemuArguments() {
        return List.of("-accel", "tcg", "-cpu", "pentium2,-apic", "-no-acpi", "-m", "32",
                "-drive", "file=" + image + ",format=raw,if=floppy,snapshot=on", "-boot", "a",
                "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot");
    }
}
