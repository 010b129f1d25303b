package dev.strata.emulator.cpu.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import dev.strata.emulator.cpu.TestMachine;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRecorderTest {

    /** mov ax,1234h; sub ax,1234h; push ax; int 21h (whose vector points at a HLT at 0000:4042) */
    private static final int[] SNIPPET = {0xB8, 0x34, 0x12, 0x2D, 0x34, 0x12, 0x50, 0xCD, 0x21};

    /** mov cx,N; l: inc ax; loop l; hlt: 2N + 2 instructions. */
    private static int[] loop(int n) {
        return new int[] {0xB9, n & 0xFF, n >>> 8, 0x40, 0xE2, 0xFD, 0xF4};
    }

    private static List<String> trace(TestMachine m, TraceFilter filter) throws IOException {
        StringWriter out = new StringWriter();
        TraceRecorder r = new TraceRecorder(filter, new StreamingTraceLog(out)).attach(m.cpu);
        m.run();
        r.close();
        return out.toString().lines().toList();
    }

    private static List<String> ring(TestMachine m, TraceFilter filter, int keep) throws IOException {
        StringWriter out = new StringWriter();
        TraceRecorder r = new TraceRecorder(filter, new RingTraceLog(keep, out)).attach(m.cpu);
        m.run();
        r.close();
        return out.toString().lines().toList();
    }

    @Test
    void eachLineShowsCountModeAddressBytesDisassemblyAndTheRegistersChanged() throws IOException {
        List<String> lines = trace(new TestMachine().code(SNIPPET), TraceFilter.ALL);
        assertEquals(List.of(
                "         0 R16 0700:0100      B8 34 12                mov ax,0x1234"
                        + "                  eax=00000000->00001234",
                "         1 R16 0700:0103      2D 34 12                sub ax,0x1234"
                        + "                  eax=00001234->00000000 eflags=00000002->00000046 (+PF +ZF)",
                "         2 R16 0700:0106      50                      push ax"
                        + "                        esp=00008000->00007FFE",
                "         3 R16 0700:0107      CD 21                   int 0x21",
                "         3 R16 0700:0109      ** INT 21h (software)"
                        + "                                  esp=00007FFE->00007FF8 cs=0700->0000",
                "         4 R16 0000:4042      F4                      hlt"), lines);
    }

    @Test
    void aFaultIsShownAtTheFaultingInstructionWithItsVectorAndErrorCode() throws IOException {
        // mov ax,30h; mov ds,ax: selector 30h is a data segment marked not present
        ProtectedModeMachine p = new ProtectedModeMachine().code(0x66, 0xB8, 0x30, 0x00, 0x8E, 0xD8);
        List<String> lines = trace(p.m, TraceFilter.ALL);
        int at = lines.indexOf(lines.stream().filter(l -> l.contains("**")).findFirst().orElseThrow());
        assertEquals("        13 P32 0008:00007204  8E D8                   mov ds,ax", lines.get(at - 1));
        assertEquals("        13 P32 0008:00007204  ** exception 0Bh #NP error 0030"
                + "                        esp=00009000->00008FF0", lines.get(at));
        assertTrue(lines.get(at + 1).startsWith("        14 P32 0008:00004016  F4"), lines.get(at + 1));
        assertEquals(0x30, p.errorCode());
    }

    @Test
    void aPageFaultLineShowsCr2() throws IOException {
        ProtectedModeMachine p = new ProtectedModeMachine().withPageTables();
        // mov eax,10000h; mov cr3,eax; mov eax,cr0; or eax,80000000h; mov cr0,eax; mov [401000h],eax
        p.code(0xb8, 0x00, 0x00, 0x01, 0x00, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xc0, 0x0d, 0x00, 0x00, 0x00, 0x80, 0x0f,
                0x22, 0xc0, 0xa3, 0x00, 0x10, 0x40, 0x00);
        List<String> lines = trace(p.m, TraceFilter.ALL.eventsOnly(true));
        assertEquals(List.of("        17 P32 0008:00007213  ** exception 0Eh #PF error 0002 cr2=00401000"), lines);
    }

    @Test
    void aHardwareInterruptIsShownWithItsVector() throws IOException {
        TestMachine m = new TestMachine().code(0xFB, 0x90, 0xEB, 0xFE); // sti; nop; jmp $
        m.cpu.setInterruptAcknowledge(() -> 0x09);
        StringWriter out = new StringWriter();
        TraceRecorder r = new TraceRecorder(TraceFilter.ALL, new StreamingTraceLog(out)).attach(m.cpu);
        m.cpu.run(5);
        m.cpu.setIntr(true);
        m.cpu.run(2);
        r.close();
        List<String> lines = out.toString().lines().toList();
        assertEquals("         5 R16 0700:0102      ** interrupt 09h (hardware)"
                + "                            esp=00008000->00007FFA eflags=00000202->00000002 (-IF) cs=0700->0000",
                lines.get(5));
        assertEquals("         5 R16 0000:4012      F4                      hlt", lines.get(6));
    }

    @Test
    void fromAndCountPickAWindowAndTheCpuThenRunsOnUntraced() throws IOException {
        TestMachine m = new TestMachine().code(loop(10));
        List<String> lines = trace(m, TraceFilter.ALL.from(5).count(3));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("         5 R16 0700:0103  "), lines.get(0));
        assertTrue(lines.get(1).startsWith("         6 R16 0700:0104  "), lines.get(1));
        assertTrue(lines.get(2).startsWith("         7 R16 0700:0103  "), lines.get(2));
        assertEquals(10, m.reg(Cpu.EAX), "the loop ran to its end");
        assertEquals(22, m.cpu.instructions);
    }

    @Test
    void anAddressRangeKeepsOnlyTheInstructionsInsideIt() throws IOException {
        // linear 7103h-7107h: the sub and the push; the INT's own line is outside, its interrupt line is not
        List<String> lines = trace(new TestMachine().code(SNIPPET), TraceFilter.ALL.range(0x7103, 0x7107));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("sub ax,0x1234"), lines.get(0));
        assertTrue(lines.get(1).contains("push ax"), lines.get(1));
        assertTrue(lines.get(2).contains("** INT 21h (software)"), lines.get(2));
    }

    @Test
    void eventsOnlyRecordsInterruptsAlone() throws IOException {
        List<String> lines = trace(new TestMachine().code(SNIPPET), TraceFilter.ALL.eventsOnly(true));
        assertEquals(List.of("         3 R16 0700:0109      ** INT 21h (software)"), lines);
    }

    @Test
    void theRingKeepsExactlyTheLastNRecords() throws IOException {
        List<String> full = trace(new TestMachine().code(loop(100)), TraceFilter.ALL);
        List<String> kept = ring(new TestMachine().code(loop(100)), TraceFilter.ALL, 5);
        assertEquals(202, full.size());
        assertEquals("# end of the run at instruction 202: the last 5 records (197 earlier ones not kept)", kept.get(0));
        assertEquals(full.subList(197, 202), kept.subList(1, 6));
        assertEquals(6, kept.size());
    }

    @Test
    void theRingGrowsAndWrapsWithoutLosingOrder() throws IOException {
        List<String> full = trace(new TestMachine().code(loop(6000)), TraceFilter.ALL);
        List<String> kept = ring(new TestMachine().code(loop(6000)), TraceFilter.ALL, 5000);
        assertEquals(12002, full.size());
        assertEquals(full.subList(12002 - 5000, 12002), kept.subList(1, 5001));
    }

    @Test
    void aTripleFaultWritesTheRingOutAtOnce() throws IOException {
        // lidt [0F00h] with a zero limit; int 3: #GP, then #DF, then shutdown
        TestMachine m = new TestMachine().code(0x0F, 0x01, 0x1E, 0x00, 0x0F, 0xCC).data(0x0F00, 0, 0, 0, 0, 0, 0);
        StringWriter out = new StringWriter();
        TraceRecorder r = new TraceRecorder(TraceFilter.ALL, new RingTraceLog(100, out)).attach(m.cpu);
        m.cpu.run(1);
        assertTrue(out.toString().isEmpty(), "nothing is written before the fault");
        m.cpu.run(1);
        List<String> lines = out.toString().lines().toList();
        assertEquals(List.of("# triple fault at instruction 1: the last 6 records",
                "         0 R16 0700:0100      0F 01 1E 00 0F          lidt [0x0f00]",
                "         1 R16 0700:0105      CC                      int3",
                "         1 R16 0700:0106      ** INT 03h (software)",
                "         1 R16 0700:0105      ** exception 0Dh #GP error 001A",
                "         1 R16 0700:0105      ** exception 08h #DF error 0000",
                "         1 R16 0700:0105      ** triple fault: the processor shuts down and resets"), lines);
        assertEquals(1, m.cpu.shutdowns);
        r.close();
    }

    @Test
    void aTraceThatCannotBeWrittenStopsAndSaysWhyWhileTheGuestRunsOn() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        TestMachine m = new TestMachine().code(loop(10));
        TraceRecorder r = new TraceRecorder(TraceFilter.ALL, new StreamingTraceLog(broken)).attach(m.cpu);
        m.run();
        IOException e = assertThrows(IOException.class, r::close);
        assertEquals("disk full", e.getMessage());
        assertEquals(10, m.reg(Cpu.EAX));
    }
}
