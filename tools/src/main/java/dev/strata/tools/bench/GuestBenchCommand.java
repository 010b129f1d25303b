package dev.strata.tools.bench;

import dev.strata.tools.StrataCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata bench guests}: boots FreeDOS workloads on Strata and, when installed, on QEMU TCG, alternating runs,
 * and prints wall seconds from process start to the workload's COM1 marker (JVM or QEMU start included).
 */
@Command(name = "guests", mixinStandardHelpOptions = true,
        description = {"Time whole FreeDOS workloads on Strata and on QEMU TCG (when installed), alternating runs.",
                "Each run starts a fresh emulator process and ends when the guest writes a marker to COM1;",
                "prints median, minimum and maximum wall seconds and the Strata/QEMU ratio. Needs mtools."})
public final class GuestBenchCommand extends StrataCommand {

    @Option(names = "--fda", required = true, paramLabel = "IMG",
            description = "a FreeDOS boot floppy, e.g. ../shared/guests/freedos/freedos722.img (not modified)")
    Path floppy;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "runs per workload and emulator (default 5)")
    int runs;

    @Option(names = "--workload", split = ",", paramLabel = "boot|loop",
            description = "workloads to run (default: boot,loop)")
    List<GuestWorkload> workloads = new ArrayList<>(List.of(GuestWorkload.values()));

    @Option(names = "--qemu", defaultValue = "qemu-system-i386", paramLabel = "CMD",
            description = "the QEMU to compare with (default qemu-system-i386); `none` runs Strata only")
    String qemu;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SEC", description = "give up on a run after SEC seconds")
    int timeoutSeconds;

    @Override
    protected int execute() throws IOException, InterruptedException {
        if (!Files.isRegularFile(floppy)) {
            throw new IllegalArgumentException(floppy + ": no such floppy image; pass a FreeDOS boot floppy with --fda");
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
        }
        PrintWriter out = out();
        Path work = Files.createTempDirectory("strata-bench-");
        try {
            boolean withQemu = !"none".equals(qemu) && installed(qemu);
            if (!withQemu && !"none".equals(qemu)) {
                out.println("(" + qemu + " is not installed: timing Strata only)");
            }
            Map<GuestWorkload, List<Double>> strata = new EnumMap<>(GuestWorkload.class);
            Map<GuestWorkload, List<Double>> reference = new EnumMap<>(GuestWorkload.class);
            for (GuestWorkload w : workloads) {
                Path image = work.resolve(w.name().toLowerCase(Locale.ROOT) + ".img");
                w.prepare(floppy, image, work);
                for (int i = 1; i <= runs; i++) {
                    double s = time(strataCommand(image), w);
                    strata.computeIfAbsent(w, k -> new ArrayList<>()).add(s);
                    String line = String.format(Locale.ROOT, "%s run %d/%d: strata %.3f s", name(w), i, runs, s);
                    if (withQemu) {
                        double q = time(qemuCommand(image), w);
                        reference.computeIfAbsent(w, k -> new ArrayList<>()).add(q);
                        line += String.format(Locale.ROOT, ", qemu %.3f s", q);
                    }
                    out.println(line);
                    out.flush();
                }
            }
            out.println();
            for (GuestWorkload w : workloads) {
                WallTimes s = WallTimes.of(strata.get(w));
                out.println(name(w) + ": strata " + s.describe());
                if (withQemu) {
                    WallTimes q = WallTimes.of(reference.get(w));
                    out.println(name(w) + ": qemu   " + q.describe());
                    out.println(String.format(Locale.ROOT, "%s: strata/qemu %.2fx", name(w), s.ratioTo(q)));
                }
            }
            return 0;
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static String name(GuestWorkload w) {
        return w.name().toLowerCase(Locale.ROOT);
    }

    /** Strata as the user starts it: the ./strata launcher when we came from it, else this jar. */
    private List<String> strataCommand(Path image) {
        List<String> cmd = new ArrayList<>();
        String launcher = System.getenv("STRATA_LAUNCHER");
        if (launcher != null && !launcher.isEmpty()) {
            cmd.add(launcher);
        } else {
            Path jar = BenchCommand.ownJar();
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new IllegalStateException("cannot tell how to start Strata: run this from the ./strata launcher "
                        + "or the strata jar");
            }
            cmd.addAll(List.of(BenchCommand.javaExecutable(), "-jar", jar.toString()));
        }
        cmd.addAll(List.of("run", "--headless", "--fda", image.toString(), "--expect", GuestWorkload.MARKER,
                "--timeout", Integer.toString(timeoutSeconds)));
        return cmd;
    }

    /** QEMU as ORACLES.md sets it up: TCG, a Pentium II without APIC or ACPI, COM1 on standard output. */
    private List<String> qemuCommand(Path image) {
        return List.of(qemu, "-accel", "tcg", "-cpu", "pentium2,-apic", "-no-acpi", "-m", "32",
                "-drive", "file=" + image + ",format=raw,if=floppy,snapshot=on", "-boot", "a",
                "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot");
    }

    private static boolean installed(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Seconds from starting {@code command} until the marker shows on its standard output. */
    private double time(List<String> command, GuestWorkload w) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        AtomicLong seenAt = new AtomicLong();
        CountDownLatch over = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                if (new OutputMarker(GuestWorkload.MARKER).awaitIn(in)) {
                    seenAt.set(System.nanoTime());
                }
            } catch (IOException e) {
                // the process was ended; seenAt tells whether the marker came first
            } finally {
                over.countDown();
            }
        }, "strata-bench-reader");
        reader.setDaemon(true);
        reader.start();
        over.await(timeoutSeconds + 5L, TimeUnit.SECONDS);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        if (seenAt.get() == 0) {
            throw new IllegalStateException(name(w) + ": " + command.get(0) + " ended or timed out before the guest "
                    + "wrote " + GuestWorkload.MARKER + " to COM1 (exit code " + p.exitValue() + ")");
        }
        return (seenAt.get() - start) / 1e9;
    }
}
