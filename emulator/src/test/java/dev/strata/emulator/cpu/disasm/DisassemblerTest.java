package dev.strata.emulator.cpu.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DisassemblerTest {
    private static void check16(String hex, String text) {
        check(false, 0, hex, text);
    }

    private static void check32(String hex, String text) {
        check(true, 0, hex, text);
    }

    private static void check(boolean is32, long ip, String hex, String text) {
        String[] parts = hex.split(" ");
        byte[] code = new byte[parts.length + 4]; // trailing bytes must not be consumed
        for (int i = 0; i < parts.length; i++) {
            code[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        Instruction insn = Disassembler.disassemble(code, 0, is32, ip);
        assertEquals(text, insn.text(), hex);
        assertEquals(parts.length, insn.length(), hex + " length");
    }

    @Test
    void sixteenBitAddressingAndSegments() {
        check16("00 5F 0E", "add byte [bx+0x0e],bl");
        check16("00 07", "add byte [bx],al");
        check16("3E 00 90 51 E5", "add byte [bx+si-0x1aaf],dl");
        check16("3E 00 02", "add byte [ds:bp+si],al");
        check16("26 8B 46 FE", "mov ax,word [es:bp-0x02]");
        check16("36 8B 46 FE", "mov ax,word [bp-0x02]");
        check16("A1 34 12", "mov ax,word [0x1234]");
        check16("2E A2 34 12", "mov byte [cs:0x1234],al");
        check16("67 8B 00", "mov ax,word [eax]");
        check16("8E D8", "mov ds,ax");
        check16("C4 1E 00 10", "les bx,[0x1000]");
        check16("8D 36 10 00", "lea si,[0x0010]");
    }

    @Test
    void thirtyTwoBitAddressing() {
        check32("8B 44 24 08", "mov eax,dword [esp+0x08]");
        check32("64 8B 03", "mov eax,dword [fs:ebx]");
        check32("8D 04 8D 00 10 00 00", "lea eax,[ecx*4+0x1000]");
        check32("8B 05 78 56 34 12", "mov eax,dword [0x12345678]");
        check32("89 84 B1 00 01 00 00", "mov dword [ecx+esi*4+0x100],eax");
        check32("66 89 45 F8", "mov word [ebp-0x08],ax");
        check32("8C D8", "mov eax,ds");
        check32("C7 00 01 00 00 00", "mov dword [eax],0x00000001");
        check32("83 C4 F0", "add esp,0xfffffff0");
    }

    @Test
    void prefixesAndStringInstructions() {
        check16("F3 A4", "rep movsb");
        check16("F3 A6", "repe cmpsb");
        check16("F2 AE", "repne scasb");
        check16("26 AC", "es lodsb");
        check16("2E AA", "stosb");
        check16("F0 01 07", "lock add word [bx],ax");
        check32("F3 A5", "rep movsd");
        check16("66 A5", "movsd");
        check16("66 60", "pushad");
        check16("F3 90", "pause");
    }

    @Test
    void branchesAndFarPointers() {
        check(false, 0x100, "E8 FD FF", "call 0x0100");
        check(false, 0x100, "EB FE", "jmp 0x0100");
        check(false, 0xFFF0, "74 20", "je 0x0012");
        check16("EA 00 00 00 F0", "jmp 0xf000:0x0000");
        check16("66 EA 78 56 34 12 08 00", "jmp 0x0008:0x12345678");
        check(true, 0x1000, "0F 84 10 00 00 00", "je 0x00001016");
        check16("FF 1E 00 20", "call far [0x2000]");
        check16("FF E0", "jmp ax");
        check16("67 E3 00", "jecxz 0x0003");
    }

    @Test
    void twoByteOpcodes() {
        check32("0F B6 C1", "movzx eax,cl");
        check16("66 0F B7 06 34 12", "movzx eax,word [0x1234]");
        check32("0F BF C8", "movsx ecx,ax");
        check32("0F A2", "cpuid");
        check32("0F 31", "rdtsc");
        check32("0F 20 C0", "mov eax,cr0");
        check32("0F 22 D8", "mov cr3,eax");
        check32("0F 23 F8", "mov dr7,eax");
        check32("0F 22 50", "mov cr2,eax");
        check16("0F 21 95", "mov ebp,dr2");
        check32("0F C7 0E", "cmpxchg8b qword [esi]");
        check32("0F B1 0A", "cmpxchg dword [edx],ecx");
        check32("0F C1 C8", "xadd eax,ecx");
        check32("0F C8", "bswap eax");
        check32("0F 44 C1", "cmove eax,ecx");
        check32("0F 95 C0", "setne al");
        check32("0F A4 C2 04", "shld edx,eax,0x04");
        check32("0F AD C2", "shrd edx,eax,cl");
        check16("0F BA E0 05", "bt ax,0x05");
        check32("0F BC C1", "bsf eax,ecx");
        check16("0F 01 16 00 10", "lgdt [0x1000]");
        check16("0F 01 E0", "smsw ax");
        check16("0F 00 D8", "ltr ax");
        check16("0F 02 C3", "lar ax,bx");
        check32("0F A1", "pop fs");
        check32("0F 0B", "ud2");
        check32("0F 1F 44 00 00", "nop dword [eax+eax]");
    }

    @Test
    void x87EscapesHaveTheirLength() {
        check32("DD 1C 24", "fstp qword [esp]");
        check16("D8 47 88", "fadd dword [bx-0x78]");
        check16("DB E3", "fninit");
        check16("D9 C9", "fxch st(1)");
        check16("DF E0", "fnstsw ax");
        check16("D9 3E 00 10", "fnstcw word [0x1000]");
        check16("DE F9", "fdivp st(1),st");
    }

    @Test
    void undefinedAndTruncatedCodeIsBad() {
        check32("0F FF", "(bad)");
        check16("FE 38", "(bad)");
        check16("8D C0", "(bad)");
        check16("8F C8", "(bad)");
        check16("0F C7 C8", "(bad)");
        check16("8C F0", "(bad)");
        check16("0F 22 C8", "(bad)");
        Instruction cut = Disassembler.disassemble(new byte[] {(byte) 0xB8, 0x01}, 0, false, 0);
        assertEquals("(bad)", cut.text());
        assertEquals(2, cut.length());
        byte[] tooLong = new byte[20];
        java.util.Arrays.fill(tooLong, (byte) 0x66);
        tooLong[16] = (byte) 0x90;
        assertEquals("(bad)", Disassembler.disassemble(tooLong, 0, false, 0).text());
        assertEquals(15, Disassembler.disassemble(tooLong, 0, false, 0).length());
        assertThrows(IllegalArgumentException.class, () -> Disassembler.disassemble(new byte[2], 2, false, 0));
    }

    @Test
    void groupsPickTheirMemberByTheRegField() {
        check16("D1 34", "sal word [si],1");
        check16("F6 C7 55", "test bh,0x55");
        check16("F7 03 0F 9A", "test word [bp+di],0x9a0f");
        check16("C1 E0 04", "shl ax,0x04");
        check16("D2 E8", "shr al,cl");
        check16("FF 77 81", "push word [bx-0x7f]");
        check16("D4 0A", "aam");
        check16("D5 07", "aad 0x07");
        check16("6B C0 FF", "imul ax,ax,0xffff");
        check16("C8 10 00 01", "enter 0x0010,0x01");
    }
}
