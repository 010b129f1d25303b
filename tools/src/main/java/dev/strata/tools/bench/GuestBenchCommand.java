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
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata bench guests}: runs FreeDOS workloads and the Linux guest's boot on Strata and, when installed, on
 * QEMU TCG, alternating runs, and prints wall seconds from process start (JVM or QEMU start included) to each point
 * the guest's serial output passes.
 */
@Command(name = "guests", mixinStandardHelpOptions = true,
        description = {"Time whole guest workloads on Strata and on QEMU TCG (when installed), alternating runs.",
                // one string per paragraph: picocli starts a new line at each element
                "Each run starts a fresh emulator process and is timed to points its serial output passes:"
                        + " FreeDOS workloads to a marker their AUTOEXEC.BAT writes to COM1 (needs mtools), the Linux"
                        + " guest to the kernel's first line and to its shell prompt.",
                "Prints median, minimum and maximum wall seconds and the Strata/QEMU ratio of the medians and,"
                        + " where /proc shows the emulators' threads (Linux), the CPU seconds of the thread that runs"
                        + " the guest (Strata's strata-cpu, QEMU's TCG thread) and of all the process's threads,"
                        + " which leave out time spent waiting for a core."})
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

    @Option(names = "--workload", split = ",", paramLabel = "boot|loop|linux|linux-unpacked",
            description = "workloads to run (default: boot,loop with --fda, linux,linux-unpacked with --kernel);"
                    + " in linux both emulators run the kernel's own decompressor, in linux-unpacked Strata unpacks"
                    + " the kernel before the boot")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--strata", paramLabel = "CMD",
            description = "the Strata to time, split at spaces, e.g. \"java -jar other/strata.jar\" to compare "
                    + "builds (default: the ./strata launcher this runs from, else this jar)")
    String strata;

    @Option(names = "--against", paramLabel = "CMD",
            description = "another Strata to compare with, split at spaces (e.g. \"../main/strata\"): each run "
                    + "starts both at the same time, taking turns at which starts first, so that a busy host slows "
                    + "both alike; prints each one's medians and the median of the pairs' ratios, for wall and CPU "
                    + "seconds (QEMU is not run)")
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
            Map<String, List<RunTimes>> strataTimes = new LinkedHashMap<>();
            Map<String, List<RunTimes>> qemuTimes = new LinkedHashMap<>();
            for (BenchGuest g : guests) {
                for (int i = 1; i <= runs; i++) {
                    RunTimes s = timer.time(strataCommand(g, strata), g.checkpoints(), EmulatorCpuClock.STRATA_THREAD,
                            g.name());
                    strataTimes.computeIfAbsent(g.name(), k -> new ArrayList<>()).add(s);
                    String line = String.format(Locale.ROOT, "%s run %d/%d: strata %s", g.name(), i, runs, seconds(s));
                    if (withQemu) {
                        List<String> q = new ArrayList<>(List.of(qemu));
                        q.addAll(g.qemuArguments());
                        // named threads, so that the TCG thread's CPU time can be read
                        q.addAll(List.of("-name", "strata-bench,debug-threads=on"));
                        RunTimes t = timer.time(q, g.checkpoints(), EmulatorCpuClock.QEMU_THREAD, g.name());
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
            List<RunTimes> mine = new ArrayList<>();
            List<RunTimes> theirs = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                boolean mineFirst = i % 2 == 1;
                RunTimes[] t = side.time(strataCommand(g, strata), strataCommand(g, against), mineFirst,
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
                out.println(what + ": strata  " + WallTimes.of(column(mine, k, RunTimes::wall)).describe());
                out.println(what + ": against " + WallTimes.of(column(theirs, k, RunTimes::wall)).describe());
                out.println(what + ": strata/against " + pairRatios(mine, theirs, k, RunTimes::wall));
                cpuSideBySide(out, what, "the emulating thread", mine, theirs, k, RunTimes::thread);
                cpuSideBySide(out, what, "all threads", mine, theirs, k, RunTimes::process);
            }
        }
    }

    /** "0.982x (median of 6 runs side by side, min 0.840x, max 1.040x)" for the pairs' ratios of one figure. */
    private static String pairRatios(List<RunTimes> mine, List<RunTimes> theirs, int k,
                                     Function<RunTimes, double[]> figure) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            double a = figure.apply(mine.get(i))[k];
            double b = figure.apply(theirs.get(i))[k];
            if (!Double.isNaN(a) && !Double.isNaN(b) && b > 0) {
                ratios.add(a / b);
            }
        }
        WallTimes r = WallTimes.of(ratios);
        return String.format(Locale.ROOT, "%.3fx (median of %d runs side by side, min %.3fx, max %.3fx)", r.median(),
                r.runs(), r.min(), r.max());
    }

    /** The CPU seconds of both builds and the median of the pairs' ratios, when the runs could read them. */
    private static void cpuSideBySide(PrintWriter out, String what, String whose, List<RunTimes> mine,
                                      List<RunTimes> theirs, int k, Function<RunTimes, double[]> figure) {
        List<Double> a = column(mine, k, figure);
        List<Double> b = column(theirs, k, figure);
        if (a.isEmpty() || b.isEmpty() || b.stream().allMatch(v -> v == 0)) {
            return;
        }
        out.println(String.format(Locale.ROOT, "%s: CPU of %s: strata %.3f s, against %.3f s (medians), "
                + "strata/against %s", what, whose, WallTimes.of(a).median(), WallTimes.of(b).median(),
                pairRatios(mine, theirs, k, figure)));
    }

    /**
     * Prints the median, minimum and maximum wall seconds at each of {@code g}'s checkpoints, the ratio when QEMU
     * ran, and the medians of the CPU seconds where the runs could read them.
     */
    private static void summarise(PrintWriter out, BenchGuest g, List<RunTimes> strataRuns, List<RunTimes> qemuRuns) {
        List<BenchGuest.Checkpoint> points = g.checkpoints();
        for (int k = 0; k < points.size(); k++) {
            String what = points.size() == 1 ? g.name() : g.name() + " to the " + points.get(k).label();
            WallTimes s = WallTimes.of(column(strataRuns, k, RunTimes::wall));
            out.println(what + ": strata " + s.describe());
            if (qemuRuns != null) {
                WallTimes q = WallTimes.of(column(qemuRuns, k, RunTimes::wall));
                out.println(what + ": qemu   " + q.describe());
                out.println(String.format(Locale.ROOT, "%s: strata/qemu %.2fx", what, s.ratioTo(q)));
            }
            cpu(out, what, "the emulating thread", strataRuns, qemuRuns, k, RunTimes::thread);
            cpu(out, what, "all threads", strataRuns, qemuRuns, k, RunTimes::process);
        }
        if (!g.note().isEmpty()) {
            out.println(g.name() + ": " + g.note());
        }
    }

    /** One CPU figure's medians (and their ratio when QEMU ran), when the runs could read it. */
    private static void cpu(PrintWriter out, String what, String whose, List<RunTimes> strataRuns,
                            List<RunTimes> qemuRuns, int k, Function<RunTimes, double[]> figure) {
        List<Double> s = column(strataRuns, k, figure);
        if (s.isEmpty()) {
            return;
        }
        WallTimes sc = WallTimes.of(s);
        String line = String.format(Locale.ROOT, "%s: CPU of %s: strata %.3f s", what, whose, sc.median());
        List<Double> q = qemuRuns == null ? List.of() : column(qemuRuns, k, figure);
        if (!q.isEmpty()) {
            WallTimes qc = WallTimes.of(q);
            line += String.format(Locale.ROOT, ", qemu %.3f s (medians)", qc.median());
            if (qc.median() > 0) {
                line += String.format(Locale.ROOT, ", strata/qemu %.2fx", sc.ratioTo(qc));
            }
        } else {
            line += " (median)";
        }
        out.println(line);
    }

    /** The workloads asked for, or the default for the guests given; checks that each has what it needs. */
    private List<String> chosenWorkloads() {
        List<String> chosen = new ArrayList<>();
        for (String w : workloads) {
            String name = w.trim().toLowerCase(Locale.ROOT);
            if (!List.of("boot", "loop", "linux", "linux-unpacked").contains(name)) {
                throw usageError("--workload takes boot, loop, linux or linux-unpacked, not '" + w + "'");
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
                chosen.addAll(List.of("linux", "linux-unpacked"));
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
        if (chosen.contains("linux") || chosen.contains("linux-unpacked")) {
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
        if (name.startsWith("linux")) {
            return new LinuxGuest(kernel, initrd, append, "linux-unpacked".equals(name));
        }
        GuestWorkload w = GuestWorkload.valueOf(name.toUpperCase(Locale.ROOT));
        Path image = work.resolve(name + ".img");
        w.prepare(floppy, image, work);
        return new FreeDosGuest(w, image);
    }

    /** One figure at checkpoint {@code k} from each run that has it (CPU seconds are NaN where unreadable). */
    private static List<Double> column(List<RunTimes> runs, int k, Function<RunTimes, double[]> figure) {
        List<Double> c = new ArrayList<>();
        for (RunTimes r : runs) {
            double v = figure.apply(r)[k];
            if (!Double.isNaN(v)) {
                c.add(v);
            }
        }
        return c;
    }

    /**
     * "1.234 s (CPU thread 0.512 s)" or, for several checkpoints, "11.02 / 20.31 s (CPU thread 7.51 / 12.18 s)";
     * without the part in brackets where the CPU seconds could not be read.
     */
    private static String seconds(RunTimes r) {
        String s = list(r.wall()) + " s";
        return r.hasCpu() ? s + " (CPU thread " + list(r.thread()) + " s)" : s;
    }

    private static String list(double[] s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length; k++) {
            b.append(k == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.3f", s[k]));
        }
        return b.toString();
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
