package dev.strata.tools.bench;

import dev.strata.tools.StrataCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata bench guests}: runs FreeDOS workloads and the Linux guest's boot on Strata and, when installed, on
 * QEMU TCG, alternating runs, and prints wall seconds from process start (JVM or QEMU start included) to each point
 * the guest's serial output passes.
 */
@Command(name = "guests", mixinStandardHelpOptions = true,
        description = {"Time whole guest workloads on Strata and on QEMU TCG (when installed), alternating runs.",
                "Each run starts a fresh emulator process and is timed to points its serial output passes:",
                "FreeDOS workloads to a marker their AUTOEXEC.BAT writes to COM1 (needs mtools), the Linux",
                "guest to the kernel's first line and to its shell prompt. Prints median, minimum and maximum",
                "wall seconds and the Strata/QEMU ratio of the medians."})
public final class GuestBenchCommand extends StrataCommand {

    @Option(names = "--fda", paramLabel = "IMG",
            description = "a FreeDOS boot floppy for the boot and loop workloads, e.g. "
                    + "../shared/guests/freedos/freedos722.img (not modified)")
    Path floppy;

    @Option(names = "--kernel", paramLabel = "BZIMAGE",
            description = "the Linux guest's kernel for the linux workload (KERNEL= of guests/linux/build.sh)")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE",
            description = "the Linux guest's initramfs (INITRD= of guests/linux/build.sh)")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", defaultValue = LinuxGuest.DEFAULT_APPEND,
            description = "the Linux kernel's command line (default: ${DEFAULT-VALUE})")
    String append;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "runs per workload and emulator (default 5)")
    int runs;

    @Option(names = "--workload", split = ",", paramLabel = "boot|loop|linux",
            description = "workloads to run (default: boot,loop with --fda, linux with --kernel)")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--strata", paramLabel = "CMD",
            description = "the Strata to time, split at spaces, e.g. \"java -jar other/strata.jar\" to compare "
                    + "builds (default: the ./strata launcher this runs from, else this jar)")
    String strata;

    @Option(names = "--against", paramLabel = "CMD",
            description = "another Strata to compare with, split at spaces (e.g. \"../main/strata\"): each run "
                    + "starts both at the same time, taking turns at which starts first, so that a busy host slows "
                    + "both alike; prints each one's medians and the median of the pairs' ratios (QEMU is not run)")
    String against;

    @Option(names = "--qemu", defaultValue = "qemu-system-i386", paramLabel = "CMD",
            description = "the QEMU to compare with (default qemu-system-i386); `none` runs Strata only")
    String qemu;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SEC", description = "give up on a run after SEC seconds")
    int timeoutSeconds;

    @Override
    protected int execute() throws IOException, InterruptedException {
        if (runs < 1) {
            throw usageError("--runs must be at least 1, got " + runs);
        }
        if (against != null && against.isBlank()) {
            throw usageError("--against needs the other Strata's command, e.g. \"../main/strata\"");
        }
        List<String> chosen = chosenWorkloads();
        PrintWriter out = out();
        Path work = Files.createTempDirectory("strata-bench-");
        try {
            List<BenchGuest> guests = new ArrayList<>();
            for (String name : chosen) {
                guests.add(guest(name, work));
            }
            CheckpointTimer timer = new CheckpointTimer(timeoutSeconds + 5);
            if (against != null) {
                compareSideBySide(out, guests, new SideBySide(timer));
                return 0;
            }
            boolean withQemu = !"none".equals(qemu) && installed(qemu);
            if (!withQemu && !"none".equals(qemu)) {
                out.println("(" + qemu + " is not installed: timing Strata only)");
            }
            Map<String, List<double[]>> strataTimes = new LinkedHashMap<>();
            Map<String, List<double[]>> qemuTimes = new LinkedHashMap<>();
            for (BenchGuest g : guests) {
                for (int i = 1; i <= runs; i++) {
                    double[] s = timer.time(strataCommand(g, strata), g.checkpoints(), g.name());
                    strataTimes.computeIfAbsent(g.name(), k -> new ArrayList<>()).add(s);
                    String line = String.format(Locale.ROOT, "%s run %d/%d: strata %s", g.name(), i, runs, seconds(s));
                    if (withQemu) {
                        List<String> q = new ArrayList<>(List.of(qemu));
                        q.addAll(g.qemuArguments());
                        double[] t = timer.time(q, g.checkpoints(), g.name());
                        qemuTimes.computeIfAbsent(g.name(), k -> new ArrayList<>()).add(t);
                        line += ", qemu " + seconds(t);
                    }
                    out.println(line);
                    out.flush();
                }
            }
            out.println();
            for (BenchGuest g : guests) {
                summarise(out, g, strataTimes.get(g.name()), withQemu ? qemuTimes.get(g.name()) : null);
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

    /**
     * {@code --against}: each run times this Strata and the other one started together, the first to start taking
     * turns, then prints each one's medians and the median of the runs' ratios at each checkpoint.
     */
    private void compareSideBySide(PrintWriter out, List<BenchGuest> guests, SideBySide side)
            throws IOException, InterruptedException {
        for (BenchGuest g : guests) {
            List<double[]> mine = new ArrayList<>();
            List<double[]> theirs = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                boolean mineFirst = i % 2 == 1;
                double[][] t = side.time(strataCommand(g, strata), strataCommand(g, against), mineFirst,
                        g.checkpoints(), g.name());
                mine.add(t[0]);
                theirs.add(t[1]);
                out.println(String.format(Locale.ROOT, "%s run %d/%d (%s started first): strata %s, against %s",
                        g.name(), i, runs, mineFirst ? "strata" : "against", seconds(t[0]), seconds(t[1])));
                out.flush();
            }
            out.println();
            List<BenchGuest.Checkpoint> points = g.checkpoints();
            for (int k = 0; k < points.size(); k++) {
                String what = points.size() == 1 ? g.name() : g.name() + " to the " + points.get(k).label();
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    ratios.add(mine.get(i)[k] / theirs.get(i)[k]);
                }
                WallTimes r = WallTimes.of(ratios);
                out.println(what + ": strata  " + WallTimes.of(column(mine, k)).describe());
                out.println(what + ": against " + WallTimes.of(column(theirs, k)).describe());
                out.println(String.format(Locale.ROOT, "%s: strata/against %.3fx (median of %d runs side by side, "
                        + "min %.3fx, max %.3fx)", what, r.median(), runs, r.min(), r.max()));
            }
        }
    }

    /** Prints the median, minimum and maximum at each of {@code g}'s checkpoints, and the ratio when QEMU ran. */
    private static void summarise(PrintWriter out, BenchGuest g, List<double[]> strataRuns, List<double[]> qemuRuns) {
        List<BenchGuest.Checkpoint> points = g.checkpoints();
        for (int k = 0; k < points.size(); k++) {
            String what = points.size() == 1 ? g.name() : g.name() + " to the " + points.get(k).label();
            WallTimes s = WallTimes.of(column(strataRuns, k));
            out.println(what + ": strata " + s.describe());
            if (qemuRuns != null) {
                WallTimes q = WallTimes.of(column(qemuRuns, k));
                out.println(what + ": qemu   " + q.describe());
                out.println(String.format(Locale.ROOT, "%s: strata/qemu %.2fx", what, s.ratioTo(q)));
            }
        }
    }

    /** The workloads asked for, or the default for the guests given; checks that each has what it needs. */
    private List<String> chosenWorkloads() {
        List<String> chosen = new ArrayList<>();
        for (String w : workloads) {
            String name = w.trim().toLowerCase(Locale.ROOT);
            if (!List.of("boot", "loop", "linux").contains(name)) {
                throw usageError("--workload takes boot, loop or linux, not '" + w + "'");
            }
            if (!chosen.contains(name)) {
                chosen.add(name);
            }
        }
        if (chosen.isEmpty()) {
            if (floppy != null) {
                chosen.addAll(List.of("boot", "loop"));
            }
            if (kernel != null) {
                chosen.add("linux");
            }
        }
        if (chosen.isEmpty()) {
            throw usageError("nothing to time: pass --fda with a FreeDOS boot floppy (the boot and "
                    + "loop workloads) or --kernel and --initrd with the Linux guest of guests/linux/build.sh");
        }
        boolean dos = chosen.contains("boot") || chosen.contains("loop");
        if (dos && floppy == null) {
            throw usageError("the boot and loop workloads run on FreeDOS: pass its boot floppy with "
                    + "--fda, e.g. ../shared/guests/freedos/freedos722.img");
        }
        if (dos && !Files.isRegularFile(floppy)) {
            throw new IllegalArgumentException(floppy + ": no such floppy image; pass a FreeDOS boot floppy with "
                    + "--fda");
        }
        if (chosen.contains("linux")) {
            if (kernel == null || initrd == null) {
                throw usageError("the linux workload boots the Linux guest: pass --kernel and "
                        + "--initrd with the KERNEL and INITRD that guests/linux/build.sh prints");
            }
            for (Path f : List.of(kernel, initrd)) {
                if (!Files.isRegularFile(f)) {
                    throw new IllegalArgumentException(f + ": no such file; guests/linux/build.sh prints where the "
                            + "Linux guest's kernel and initramfs are");
                }
            }
        }
        return chosen;
    }

    private BenchGuest guest(String name, Path work) throws IOException, InterruptedException {
        if ("linux".equals(name)) {
            return new LinuxGuest(kernel, initrd, append);
        }
        GuestWorkload w = GuestWorkload.valueOf(name.toUpperCase(Locale.ROOT));
        Path image = work.resolve(name + ".img");
        w.prepare(floppy, image, work);
        return new FreeDosGuest(w, image);
    }

    private static List<Double> column(List<double[]> runs, int k) {
        List<Double> c = new ArrayList<>();
        for (double[] r : runs) {
            c.add(r[k]);
        }
        return c;
    }

    /** "1.234 s" or, for several checkpoints, "11.02 / 20.31 s". */
    private static String seconds(double[] s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length; k++) {
            b.append(k == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.3f", s[k]));
        }
        return b.append(" s").toString();
    }

    /**
     * Strata as {@code given} says ({@code --strata}, {@code --against}), else as the user starts it: the ./strata
     * launcher when we came from it, else this jar.
     */
    private List<String> strataCommand(BenchGuest g, String given) {
        List<String> cmd = new ArrayList<>();
        String launcher = System.getenv("STRATA_LAUNCHER");
        if (given != null && !given.isBlank()) {
            cmd.addAll(List.of(given.trim().split("\\s+")));
        } else if (launcher != null && !launcher.isEmpty()) {
            cmd.add(launcher);
        } else {
            Path jar = BenchCommand.ownJar();
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new IllegalStateException("cannot tell how to start Strata: run this from the ./strata launcher "
                        + "or the strata jar, or name it with --strata");
            }
            cmd.addAll(List.of(BenchCommand.javaExecutable(), "-jar", jar.toString()));
        }
        cmd.addAll(g.strataArguments());
        cmd.addAll(List.of("--timeout", Integer.toString(timeoutSeconds)));
        return cmd;
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
}
