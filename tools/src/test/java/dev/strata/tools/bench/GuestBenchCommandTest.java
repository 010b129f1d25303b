package dev.strata.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.tools.InProcessStrata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata bench guests} with stand-in emulators (shell scripts that print a guest's serial output with pauses),
 * so the harness's timing, ordering and figures are checked without booting anything.
 */
class GuestBenchCommandTest {

    @TempDir
    Path dir;

    private final InProcessStrata strata = new InProcessStrata();

    /** A stand-in emulator: answers --version, else prints the arguments' checkpoints after the pauses given. */
    private Path emulator(String name, String script) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n[ \"$1\" = --version ] && exit 0\n" + script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path file(String name) throws Exception {
        return Files.write(dir.resolve(name), new byte[] {1});
    }

    @Test
    void theLinuxWorkloadIsTimedToTheKernelsFirstLineAndToTheShell() throws Exception {
        Path fakeStrata = emulator("strata", "echo booting; sleep 0.3; echo 'Linux version 6'; sleep 0.4; "
                + "printf 'strata-linux# '; exec sleep 30\n");
        Path fakeQemu = emulator("qemu", "sleep 0.1; echo 'Linux version 6'; sleep 0.1; printf 'strata-linux# '; "
                + "exec sleep 30\n");
        String out = benchLinux(2, fakeStrata, fakeQemu);
        assertTrue(out.contains("linux run 2/2: strata "), out);
        double strataKernel = median(out, "linux to the kernel's first line: strata");
        double strataShell = median(out, "linux to the shell: strata");
        double qemuShell = median(out, "linux to the shell: qemu  ");
        assertTrue(strataKernel >= 0.3 && strataKernel < strataShell, out);
        assertTrue(strataShell >= 0.7 && qemuShell >= 0.2 && qemuShell < strataShell, out);
        assertTrue(out.contains("linux to the shell: strata/qemu "), out);
        assertTrue(out.contains("linux to the kernel's first line: strata/qemu "), out);
    }

    @Test
    void theCpuSecondsAreTheEmulatingThreadsWorkNotItsWaiting() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "threads are read from Linux's /proc");
        // each stand-in gives its thread the emulator's name: Strata's computes before each line, QEMU's sleeps
        Path fakeStrata = emulator("strata", "printf strata-cpu > /proc/$$/comm; " + spin() + "echo 'Linux version 6'; "
                + spin() + "printf 'strata-linux# '; exec sleep 30\n");
        Path fakeQemu = emulator("qemu", "printf 'CPU 0/TCG' > /proc/$$/comm; sleep 0.2; echo 'Linux version 6'; "
                + "sleep 0.2; printf 'strata-linux# '; exec sleep 30\n");
        String out = benchLinux(1, fakeStrata, fakeQemu);
        assertTrue(out.contains(" s (CPU thread "), out);
        Matcher m = Pattern.compile("linux to the shell: CPU of the emulating thread: strata ([0-9.]+) s, qemu "
                + "([0-9.]+) s \\(medians\\), strata/qemu").matcher(out);
        assertTrue(m.find(), out);
        double strataCpu = Double.parseDouble(m.group(1));
        double qemuCpu = Double.parseDouble(m.group(2));
        double strataFirstLine = cpu(out, "linux to the kernel's first line: CPU of the emulating thread: strata");
        assertTrue(strataFirstLine >= 0.04 && strataCpu >= 2 * strataFirstLine * 0.8, out);
        assertTrue(qemuCpu < 0.05, out);
        // the whole process's figure comes in clock ticks (10 ms), the thread's in nanoseconds
        assertTrue(cpu(out, "linux to the shell: CPU of all threads: strata") >= strataCpu - 0.02, out);
    }

    /** Runs the linux workload {@code runs} times on two stand-ins; returns the output of a run that succeeded. */
    private String benchLinux(int runs, Path fakeStrata, Path fakeQemu) throws Exception {
        int code = strata.run("bench", "guests", "--kernel", file("vmlinuz").toString(), "--initrd",
                file("initrd.gz").toString(), "--runs", Integer.toString(runs), "--strata", fakeStrata.toString(),
                "--qemu", fakeQemu.toString(), "--workload", "linux");
        String out = strata.out.toString();
        assertEquals(0, code, out + strata.err);
        return out;
    }

    /** A shell loop that keeps a CPU busy for a tenth of a second or so. */
    private static String spin() {
        return "i=0; while [ $i -lt 60000 ]; do i=$((i+1)); done; ";
    }

    private static double cpu(String out, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + " ([0-9.]+) s").matcher(out);
        assertTrue(m.find(), prefix + " in " + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aCheckpointThatNeverShowsNamesTheWorkloadAndTheText() throws Exception {
        Path fakeStrata = emulator("strata", "echo 'Linux version 6'; exit 3\n");
        int code = strata.run("bench", "guests", "--kernel", file("vmlinuz").toString(), "--initrd",
                file("initrd.gz").toString(), "--runs", "1", "--strata", fakeStrata.toString(), "--qemu", "none");
        assertEquals(1, code);
        String err = strata.err.toString();
        assertTrue(err.contains("linux: ") && err.contains("ended (exit code 3)") && err.contains("strata-linux# ")
                && err.contains("(shell)"), err);
    }

    @Test
    void theStrataCommandGetsTheWorkloadsArgumentsTheKernelUnpackedByTheGuestThenByStrata() throws Exception {
        Path args = dir.resolve("args.txt");
        Path fakeStrata = emulator("strata", "echo \"$@\" >> " + args + "; echo 'Linux version 6'; "
                + "echo 'strata-linux# '; exec sleep 30\n");
        Path kernel = file("vmlinuz");
        assertEquals(0, strata.run("bench", "guests", "--kernel", kernel.toString(), "--initrd",
                file("initrd.gz").toString(), "--runs", "1", "--strata", fakeStrata.toString(), "--qemu", "none",
                "--timeout", "40"), strata.err.toString());
        List<String> lines = Files.readAllLines(args);
        assertEquals(2, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(line.startsWith("run --headless --deterministic --memory 128 --kernel " + kernel), line);
            assertTrue(line.endsWith("--expect strata-linux#  --timeout 40"), line);
        }
        assertTrue(lines.get(0).contains(" --kernel-unpack guest "), lines.get(0));
        assertTrue(lines.get(1).contains(" --kernel-unpack strata "), lines.get(1));
        String out = strata.out.toString();
        assertTrue(out.contains("linux-unpacked: Strata unpacks the kernel before the boot; QEMU runs the kernel's"
                + " decompressor"), out);
    }

    @Test
    void againstRunsBothBuildsAtTheSameTimeAndGivesTheMedianOfTheirRatios() throws Exception {
        // each stand-in waits for the other to have started: run one after the other, the first would time out
        String meet = "touch " + dir + "/$0.up; other=" + dir + "/$1.up; i=0; "
                + "while [ ! -e \"$other\" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; "
                + "[ -e \"$other\" ] || exit 4; ";
        Path fast = emulator("fast", "exec sh -c '" + meet + "sleep 0.1; echo \"Linux version 6\"; sleep 0.1; "
                + "printf \"strata-linux# \"; exec sleep 30' fast slow\n");
        Path slow = emulator("slow", "exec sh -c '" + meet + "sleep 0.4; echo \"Linux version 6\"; sleep 0.4; "
                + "printf \"strata-linux# \"; exec sleep 30' slow fast\n");
        int code = strata.run("bench", "guests", "--kernel", file("vmlinuz").toString(), "--initrd",
                file("initrd.gz").toString(), "--runs", "2", "--strata", fast.toString(), "--against",
                slow.toString(), "--timeout", "20");
        String out = strata.out.toString();
        assertEquals(0, code, out + strata.err);
        assertTrue(out.contains("linux run 1/2 (strata started first)"), out);
        assertTrue(out.contains("linux run 2/2 (against started first)"), out);
        assertTrue(median(out, "linux to the shell: strata ") < median(out, "linux to the shell: against"), out);
        Matcher ratio = Pattern.compile("linux to the shell: strata/against ([0-9.]+)x \\(median of 2 runs")
                .matcher(out);
        assertTrue(ratio.find(), out);
        assertTrue(Double.parseDouble(ratio.group(1)) < 0.8, out);
        assertTrue(!out.contains("qemu"), out);
    }

    @Test
    void againstWithoutACommandSaysWhatToPass() throws Exception {
        assertEquals(2, strata.run("bench", "guests", "--kernel", file("vmlinuz").toString(), "--initrd",
                file("initrd.gz").toString(), "--against", " "));
        assertTrue(strata.err.toString().contains("--against needs"), strata.err.toString());
    }

    @Test
    void withoutAGuestItSaysWhatToPass() {
        assertEquals(2, strata.run("bench", "guests", "--qemu", "none"));
        assertTrue(strata.err.toString().contains("pass --fda"), strata.err.toString());
    }

    @Test
    void theLinuxWorkloadWithoutItsKernelSaysWhereToGetIt() throws Exception {
        assertEquals(2, strata.run("bench", "guests", "--workload", "linux", "--qemu", "none"));
        assertTrue(strata.err.toString().contains("guests/linux/build.sh"), strata.err.toString());
    }

    @Test
    void anUnknownWorkloadIsNamed() throws Exception {
        assertEquals(2, strata.run("bench", "guests", "--workload", "boot,windows", "--fda", file("fd.img").toString(),
                "--qemu", "none"));
        assertTrue(strata.err.toString().contains("'windows'"), strata.err.toString());
    }

    private static double median(String out, String prefix) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "\\s*([0-9.]+) s").matcher(out);
        assertTrue(m.find(), prefix + " in " + out);
        return Double.parseDouble(m.group(1));
    }
}
