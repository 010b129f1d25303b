package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.SataDrive;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The throughput comparison in one deterministic boot: Debian's kernel reads 256 MiB with O_DIRECT
 * ({@code dd bs=1M iflag=direct}) from an IDE disk (ata_piix, bus-master DMA) and from a SATA disk of the same size
 * and content (ahci), three rounds each, alternating. Guest time is the deterministic clock (10 ns an instruction,
 * 500 ns an I/O port access, halts skip to the next event), so the figures are the same in every run and SATA must
 * not take longer than IDE. Prints per round the guest's own dd time, instructions, virtual and host time, and the
 * number of requests each disk completed.
 */
@Timeout(1800)
class LinuxDiskSpeedTest {

    static final long DISK_BYTES = 288L << 20;
    static final int ROUNDS = 3;

    /**
     * Finds which disk is on the PIIX (00:01.1) and which on AHCI (00:02.0), shows their queue limits, then reads
     * both in turn; START-/END- lines around each dd are the marks. diskstats at the end give the request counts.
     */
    static final String COMMANDS = "for i in $(seq 60); do [ -b /dev/sda ] && [ -b /dev/sdb ] && break; sleep 1;"
            + " done; for d in sda sdb; do case $(readlink /sys/block/$d) in *0000:00:01.1*) ide=$d;;"
            + " *0000:00:02.0*) sata=$d;; esac; done;"
            + " for d in $ide $sata; do echo LIMITS $d $(cat /sys/block/$d/queue/max_sectors_kb"
            + " /sys/block/$d/queue/max_segments /sys/block/$d/queue/max_segment_size"
            + " /sys/block/$d/device/queue_depth); done;"
            + " for r in $(seq " + ROUNDS + "); do for b in IDE SATA; do [ $b = IDE ] && d=$ide || d=$sata;"
            + " echo START-$b-$r; time dd if=/dev/$d of=/dev/null bs=1M count=256 iflag=direct;"
            + " echo END-$b-$r; done; done;"
            + " grep -E ' (sda|sdb) ' /proc/diskstats | while read a b n reads rest; do echo REQS $n $reads; done;"
            + " echo IDE=$ide SATA=$sata; echo MEASURED$((1+1))\r";

    @TempDir
    Path dir;

    @Test
    void sataReadsAtLeastAsFastAsIdeDmaInGuestTime() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        Path ide = blank("ide.img");
        Path sata = blank("sata.img");
        MachineSettings settings = new MachineSettings().memoryMb(LinuxBootTest.MEMORY_MB).hardDisk(0, ide)
                .sata(0, SataDrive.hardDisk(sata, false))
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "console=ttyS0,115200 "
                        + LinuxBootTest.QUICK));
        LinuxConsole.Result r;
        List<LinuxConsole.Mark> marks;
        try (LinuxConsole console = new LinuxConsole(settings).watchScreen()) {
            console.onSerial(LinuxGuest.PROMPT, COMMANDS);
            for (int round = 1; round <= ROUNDS; round++) {
                for (String bus : List.of("IDE", "SATA")) {
                    console.mark("START-" + bus + "-" + round + "\r").mark("END-" + bus + "-" + round + "\r");
                }
            }
            console.onSerial("MEASURED2", "poweroff -f\r");
            r = console.run(List.of(LinuxGuest.PROMPT, "MEASURED2", "reboot: System halted"),
                    LinuxBootTest.HOST_SECONDS * 2);
            marks = console.marks();
        }
        assertTrue(r.allMet(), r.describe());
        String serial = r.serial();
        Matcher lines = Pattern.compile("\n((LIMITS|REQS) sd[^\r]*|IDE=sd[^\r]*)").matcher(serial);
        while (lines.find()) {
            System.out.println(lines.group(1));
        }
        Matcher real = Pattern.compile("\nreal\\s+([0-9.m ]+s)").matcher(serial);
        List<String> guestTimes = new ArrayList<>();
        while (real.find()) {
            guestTimes.add(real.group(1));
        }
        assertEquals(4 * ROUNDS, marks.size(), "every dd ran: " + marks + "\n" + r.describe());
        assertEquals(2 * ROUNDS, serial.split("\n256\\+0 records out", -1).length - 1,
                "every dd read its 256 MiB: " + r.describe());
        long[][] virtual = new long[2][ROUNDS];
        for (int i = 0; i + 1 < marks.size(); i += 2) {
            LinuxConsole.Mark start = marks.get(i);
            LinuxConsole.Mark end = marks.get(i + 1);
            String what = start.text().trim().substring("START-".length());
            long instructions = end.instructions() - start.instructions();
            long nanos = end.virtualNanos() - start.virtualNanos();
            virtual[what.startsWith("IDE") ? 0 : 1][i / 4] = nanos;
            System.out.printf("%-7s guest's time %s, %,d instructions (%,d a MiB), virtual %.3f s (%.0f MiB/s),"
                    + " host %.2f s, CPU thread %.2f s%n", what, i / 2 < guestTimes.size() ? guestTimes.get(i / 2)
                    : "?", instructions, instructions / 256, nanos / 1e9, 256 / (nanos / 1e9),
                    (end.hostNanos() - start.hostNanos()) / 1e9,
                    (end.cpuThreadNanos() - start.cpuThreadNanos()) / 1e9);
        }
        long ideMedian = median(virtual[0]);
        long sataMedian = median(virtual[1]);
        System.out.printf("medians: IDE %.3f s, SATA %.3f s of virtual time%n", ideMedian / 1e9, sataMedian / 1e9);
        assertTrue(sataMedian <= ideMedian, "SATA " + sataMedian + " ns against IDE " + ideMedian + " ns");
    }

    private Path blank(String name) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        }
        return p;
    }

    private static long median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
