package dev.strata.guests.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.gdb.GdbServer;
import dev.strata.emulator.gdb.MachineDebugTarget;
import dev.strata.emulator.gdb.RspPacket;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.guests.HostTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's gdb drives a real session against a machine booting a tiny boot sector: it connects to a machine held
 * before its first instruction (--gdb-wait), breaks at 7C00h, steps over the first instructions, reads registers
 * and memory, sets a write watchpoint, continues to it and detaches, and the guest runs on. Other sessions break in
 * a far segment with conditions and read watchpoints, and in paged 32-bit protected mode, reading linear and
 * physical memory. A raw protocol client then interrupts a running guest with Ctrl-C.
 */
class GdbSessionTest {

    /**
     * xor ax,ax; mov ds,ax; mov ss,ax; mov sp,7C00h; mov bx,1234h; mov word [7E00h],5678h;
     * a: inc word [7E00h]; jmp a.
     */
    private static final byte[] BOOT_CODE = RspPacket.unhex(
            "31c0" + "8ed8" + "8ed0" + "bc007c" + "bb3412" + "c706007e7856" + "ff06007e" + "ebfa");

    @TempDir
    Path dir;

    /** jmp 07C0h:0005h; mov bx,1234h; a: jmp a (the last two at CS=07C0h, 7C05h and 7C08h linear). */
    private static final byte[] FAR_CODE = RspPacket.unhex("ea0500c007" + "bb3412" + "ebfe");

    /**
     * In CS=07C0h after a far jump: xor ax,ax; mov ds,ax; mov ss,ax; mov sp,7C00h; xor bx,bx; mov word [7E00h],5678h;
     * a: mov ax,[7E00h] (7C16h linear); inc bx (7C19h); mov [7E02h],bx (7C1Ah); jmp a (7C1Eh).
     */
    private static final byte[] LOOP_CODE = RspPacket.unhex("ea0500c007" + "31c0" + "8ed8" + "8ed0" + "bc007c" + "31db"
            + "c706007e7856" + "a1007e" + "43" + "891e027e" + "ebf6");

    private Path floppy() throws IOException {
        return floppy(BOOT_CODE);
    }

    private Path floppy(byte[] code) throws IOException {
        byte[] image = new byte[1474560];
        System.arraycopy(code, 0, image, 0, code.length);
        image[510] = 0x55;
        image[511] = (byte) 0xAA;
        Path img = dir.resolve("boot.img");
        Files.write(img, image);
        return img;
    }

    private PcMachine machine() throws IOException {
        return machine(BOOT_CODE);
    }

    private PcMachine machine(byte[] code) throws IOException {
        return new PcMachine(new MachineSettings().floppy(0, floppy(code)).bootOrder("a")
                .clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios()));
    }

    /**
     * Runs Debian's gdb, connected to the stub, on {@code commands} (one a line), against {@code machine} held
     * before its first instruction (as --gdb-wait holds it); returns gdb's output once gdb has ended, within a
     * minute (gdb that never sees a stop would resume for ever, so its output goes to a file read after that
     * bound). Once gdb is gone a machine still running runs on for a million instructions (at most ten seconds)
     * before it is stopped.
     */
    private String gdbSession(PcMachine machine, String name, String... commands) throws Exception {
        MachineRunner runner = new MachineRunner(machine);
        runner.requestPause();
        try (GdbServer server = GdbServer.listen(GdbServer.parseAddress("tcp::0"),
                () -> new MachineDebugTarget(machine, runner))) {
            runner.start();
            server.start();
            Path file = dir.resolve(name + ".gdb");
            Files.writeString(file, String.join("\n", "set pagination off", "set confirm off",
                    "target remote 127.0.0.1:" + server.port(), String.join("\n", commands), ""));
            Path log = dir.resolve(name + ".out");
            Process gdb = new ProcessBuilder("gdb", "-nx", "-batch", "-x", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = gdb.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                gdb.destroyForcibly().waitFor();
            }
            String out = Files.readString(log);
            assertTrue(ended, "gdb did not end:\n" + out);
            long seen = machine.cpu().instructions;
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (runner.outcome() == null && machine.cpu().instructions < seen + 1_000_000
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            runner.stop();
            runner.await(10, TimeUnit.SECONDS);
            return out;
        }
    }

    @Test
    void gdbBreaksAtTheBootSectorStepsReadsWatchesAndDetaches() throws Exception {
        HostTools.require("gdb");
        try (PcMachine machine = machine()) {
            String out = gdbSession(machine, "session",
                    "printf \"START=%x\\n\", $eip",
                    "break *0x7c00",
                    "continue",
                    "printf \"BREAK=%x CS=%x\\n\", $eip, $cs",
                    "stepi",
                    "stepi",
                    "stepi",
                    "printf \"STEP3=%x\\n\", $eip",
                    "stepi",
                    "printf \"ESP=%x\\n\", $esp",
                    "printf \"BYTES=%x %x %x\\n\", *(unsigned char*)0x7c00, *(unsigned char*)0x7c01,"
                            + " *(unsigned char*)0x7dfe",
                    "x/2xh 0x7c00",
                    "monitor info cpu",
                    "watch *(unsigned short*)0x7e00",
                    "continue",
                    "printf \"WATCH=%x EIP=%x BX=%x\\n\", *(unsigned short*)0x7e00, $eip, $ebx",
                    "delete",
                    "detach");
            assertTrue(out.contains("START=fff0"), out);
            assertTrue(out.contains("BREAK=7c00 CS=0"), out);
            assertTrue(out.contains("STEP3=7c06"), out);
            assertTrue(out.contains("ESP=7c00"), out);
            assertTrue(out.contains("BYTES=31 c0 55"), out);
            assertTrue(out.contains("0x7c00:\t0xc031\t0xd88e"), out);
            assertTrue(out.contains("WATCH=5678 EIP=7c12 BX=1234"), out);
            assertTrue(out.contains("Hardware watchpoint 2"), out);
            assertTrue(out.contains("ESP=00007c00 EBP=00000000"), out); // monitor info cpu
            assertTrue(out.contains("EIP=00007c09"), out);
            // detached: the guest runs on, incrementing its word, with no breakpoint left behind
            assertNotEquals(0x5678, machine.memory().read16(0x7e00), "the guest ran on after gdb detached");
        }
    }

    @Test
    void aBreakpointBeyondSegmentZeroStopsGdbWithTheOffsetAsPc() throws Exception {
        // real mode: gdb reads EIP, the offset in CS; told "swbreak" at a PC where it has no breakpoint, it would
        // continue silently, so such a stop is a plain SIGTRAP
        HostTools.require("gdb");
        try (PcMachine machine = machine(FAR_CODE)) {
            String out = gdbSession(machine, "segmented",
                    "break *0x7c08",
                    "continue",
                    "printf \"SEG=%x:%x BX=%x\\n\", $cs, $eip, $ebx",
                    "detach");
            assertTrue(out.contains("SIGTRAP"), out);
            assertTrue(out.contains("SEG=7c0:8 BX=1234"), out);
        }
    }

    @Test
    void aConditionalBreakpointInAFarSegmentStopsOnlyWhenItHoldsAndReadAndAccessWatchpointsStopAfterTheAccess()
            throws Exception {
        // the condition goes to the stub as bytecode and is evaluated at the breakpoint: gdb could not, since a
        // stop at CS=07C0h shows a PC (the offset) where it set no breakpoint
        HostTools.require("gdb");
        try (PcMachine machine = machine(LOOP_CODE)) {
            String out = gdbSession(machine, "watch",
                    "break *0x7c19 if $ebx == 3",
                    "continue",
                    "printf \"COND=%x:%x BX=%x\\n\", $cs, $eip, $ebx",
                    "delete",
                    "rwatch *(unsigned short*)0x7e00",
                    "continue",
                    "printf \"RWATCH=%x:%x AX=%x BX=%x\\n\", $cs, $eip, $eax, $ebx",
                    "delete",
                    "awatch *(unsigned short*)0x7e02",
                    "continue",
                    "printf \"AWATCH=%x:%x BX=%x\\n\", $cs, $eip, $ebx",
                    "delete",
                    "break *0x7c16 if *(unsigned short*)0x7e02 == 0x10 && $eax == 0x5678",
                    "continue",
                    "printf \"MEMCOND=%x:%x BX=%x\\n\", $cs, $eip, $ebx",
                    "delete",
                    "detach");
            assertTrue(out.contains("COND=7c0:19 BX=3"), out);
            assertTrue(out.contains("Hardware read watchpoint 2"), out);
            assertTrue(out.contains("Value = 22136"), out); // 5678h, read by mov ax,[7E00h]
            assertTrue(out.contains("RWATCH=7c0:19 AX=5678 BX=4"), out);
            assertTrue(out.contains("Hardware access (read/write) watchpoint 3"), out);
            assertTrue(out.contains("Old value = 4\nNew value = 5"), out);
            assertTrue(out.contains("AWATCH=7c0:1e BX=5"), out);
            assertTrue(out.contains("MEMCOND=7c0:16 BX=10"), out);
        }
    }

    @Test
    void gdbBreaksInPagedProtectedModeCodeAndReadsLinearAndPhysicalMemory() throws Exception {
        // guests/gdb/pmpaging.asm: flat 32-bit code with paging on; linear 400000h is physical 30000h
        HostTools.require("gdb");
        Path floppy = HostTools.floppy("guests/gdb/pmpaging.asm", dir);
        try (PcMachine machine = new PcMachine(new MachineSettings().floppy(0, floppy).bootOrder("a")
                .clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios()))) {
            String out = gdbSession(machine, "paged",
                    "break *0x7d10",
                    "continue",
                    "printf \"SPIN=%x:%x BX=%x\\n\", $cs, $eip, $ebx",
                    "stepi",
                    "stepi",
                    "printf \"STEP=%x BX=%x\\n\", $eip, $ebx",
                    "x/3i $eip - 7",
                    "delete",
                    "printf \"LINEAR=%x %x\\n\", *(unsigned int*)0x400000, *(unsigned int*)0x400004",
                    "maintenance packet Qqemu.PhyMemMode:1",
                    "maintenance packet qqemu.PhyMemMode",
                    "printf \"PHYSICAL=%x %x AT4M=%x\\n\", *(unsigned int*)0x30000, *(unsigned int*)0x30004,"
                            + " *(unsigned int*)0x400000",
                    "watch *(unsigned int*)0x30004",
                    "continue",
                    "printf \"PHYSWATCH=%x BX=%x\\n\", $eip, $ebx",
                    "delete",
                    "maintenance packet Qqemu.PhyMemMode:0",
                    "watch *(unsigned int*)0x400004",
                    "continue",
                    "printf \"LINWATCH=%x BX=%x\\n\", $eip, $ebx",
                    "monitor info cpu",
                    "delete",
                    "x/xw 0x401000"); // an error ends the script: gdb detaches as it exits
            assertTrue(out.contains("Breakpoint 1, 0x00007d10"), out); // flat CS: gdb's PC is the linear address
            assertTrue(out.contains("SPIN=8:7d10 BX=0"), out);
            assertTrue(out.contains("STEP=7d17 BX=1"), out);
            assertTrue(out.contains("inc    %ebx"), out); // 32-bit code, as gdb disassembles it
            assertTrue(out.contains("LINEAR=12345678 1"), out);
            assertTrue(out.contains("Cannot access memory at address 0x401000"), out); // not present
            assertTrue(out.contains("received: \"OK\""), out);
            assertTrue(out.contains("received: \"1\""), out);
            assertTrue(out.contains("PHYSICAL=12345678 1 AT4M=0"), out);
            assertTrue(out.contains("PHYSWATCH=7d17 BX=2"), out);
            assertTrue(out.contains("LINWATCH=7d17 BX=3"), out);
            assertTrue(out.contains("32-bit protected mode, paging"), out); // monitor info cpu
            assertTrue(out.contains("CR3=00020000"), out);
            assertTrue(out.contains("detached"), out);
        }
    }

    @Test
    void ctrlCStopsARunningGuestAndKillPowersItOff() throws Exception {
        try (PcMachine machine = machine()) {
            MachineRunner runner = new MachineRunner(machine);
            try (GdbServer server = GdbServer.listen(GdbServer.parseAddress("tcp::0"),
                    () -> new MachineDebugTarget(machine, runner))) {
                runner.start();
                server.start();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    assertEquals("OK", exchange(in, out, "QStartNoAckMode", true));
                    assertEquals("1", exchange(in, out, "qAttached", false));
                    assertEquals("QC1", exchange(in, out, "qC", false));
                    assertEquals("E14", exchange(in, out, "m100000000,4", false), "beyond 4 GiB");
                    out.write(RspPacket.frame("c"));
                    out.flush();
                    Thread.sleep(200);
                    long before = machine.cpu().instructions;
                    assertTrue(before > 0, "the guest runs after c");
                    out.write(0x03);
                    out.flush();
                    assertEquals("T02thread:1;", readPacket(in));
                    long stopped = machine.cpu().instructions;
                    Thread.sleep(100);
                    assertEquals(stopped, machine.cpu().instructions, "stopped by Ctrl-C");
                    out.write(RspPacket.frame("k"));
                    out.flush();
                }
                assertEquals(RunOutcome.POWERED_OFF, runner.await(10, TimeUnit.SECONDS));
            }
        }
    }

    /** Sends a packet and reads the reply, skipping the '+' acks until no-ack mode. */
    private static String exchange(InputStream in, OutputStream out, String payload, boolean acked) throws IOException {
        out.write(RspPacket.frame(payload));
        out.flush();
        return readPacket(in);
    }

    private static String readPacket(InputStream in) throws IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
        }
        StringBuilder b = new StringBuilder();
        while ((c = in.read()) != '#') {
            b.append((char) c);
        }
        in.read();
        in.read();
        return b.toString();
    }
}
