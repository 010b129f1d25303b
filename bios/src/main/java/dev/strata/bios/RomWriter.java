package dev.strata.bios;

/**
 * A tiny 8086 assembler for the few instructions Strata's ROM needs: it writes machine code into the 64 KiB ROM
 * image at a cursor, one method per instruction form, so the ROM layout reads like an assembly listing.
 */
final class RomWriter {

    private final byte[] rom;
    private int at;

    RomWriter(byte[] rom) {
        this.rom = rom;
    }

    /** Moves the cursor to ROM offset {@code offset} (the IP within segment F000h). */
    RomWriter org(int offset) {
        at = offset;
        return this;
    }

    /** The current ROM offset. */
    int here() {
        return at;
    }

    RomWriter bytes(int... values) {
        for (int v : values) {
            rom[at++] = (byte) v;
        }
        return this;
    }

    /** Copies {@code values} (a table or code assembled elsewhere) to the cursor. */
    RomWriter bytes(byte[] values) {
        System.arraycopy(values, 0, rom, at, values.length);
        at += values.length;
        return this;
    }

    RomWriter word(int v) {
        return bytes(v & 0xFF, (v >>> 8) & 0xFF);
    }

    RomWriter ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            rom[at++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** OUT imm8,AL. */
    RomWriter outAl(int port) {
        return bytes(0xE6, port);
    }

    /** IN AL,imm8. */
    RomWriter inAl(int port) {
        return bytes(0xE4, port);
    }

    /** MOV AL,imm8. */
    RomWriter movAl(int value) {
        return bytes(0xB0, value);
    }

    /** MOV AH,imm8. */
    RomWriter movAh(int value) {
        return bytes(0xB4, value);
    }

    RomWriter pushAx() {
        return bytes(0x50);
    }

    RomWriter popAx() {
        return bytes(0x58);
    }

    /** PUSHA (80186 and later). */
    RomWriter pusha() {
        return bytes(0x60);
    }

    /** POPA (80186 and later). */
    RomWriter popa() {
        return bytes(0x61);
    }

    RomWriter pushDs() {
        return bytes(0x1E);
    }

    RomWriter popDs() {
        return bytes(0x1F);
    }

    RomWriter pushEs() {
        return bytes(0x06);
    }

    RomWriter popEs() {
        return bytes(0x07);
    }

    RomWriter iret() {
        return bytes(0xCF);
    }

    RomWriter cli() {
        return bytes(0xFA);
    }

    RomWriter sti() {
        return bytes(0xFB);
    }

    RomWriter stc() {
        return bytes(0xF9);
    }

    RomWriter hlt() {
        return bytes(0xF4);
    }

    /** INT imm8. */
    RomWriter intN(int vector) {
        return bytes(0xCD, vector);
    }

    /** JMP rel8 to a ROM offset within 128 bytes. */
    RomWriter jmpShort(int target) {
        int rel = target - (at + 2);
        check(rel);
        return bytes(0xEB, rel);
    }

    /** JMP rel16 to any ROM offset. */
    RomWriter jmpNear(int target) {
        return bytes(0xE9).word(target - (at + 3));
    }

    /** JNC rel8 to a ROM offset within 128 bytes. */
    RomWriter jnc(int target) {
        int rel = target - (at + 2);
        check(rel);
        return bytes(0x73, rel);
    }

    /** JMP FAR seg:off. */
    RomWriter jmpFar(int segment, int offset) {
        return bytes(0xEA).word(offset).word(segment);
    }

    private static void check(int rel) {
        if (rel < -128 || rel > 127) {
            throw new IllegalStateException("short jump out of range: " + rel);
        }
    }
}
