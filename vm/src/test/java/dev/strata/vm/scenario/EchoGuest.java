package dev.strata.vm.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-sector guest for scenario tests: prints "ready> " on the screen and COM1, then echoes every key it reads the
 * same way until it reads 'q', and, once COM1 has sent everything, halts with interrupts off.
 */
final class EchoGuest {
    /*
     *     xor ax, ax / mov ds, ax / mov si, msg
     * print: lodsb / test al, al / jz keys / call putc / jmp print
     * keys: mov ah, 0 / int 16h / call putc / cmp al, 'q' / jne keys
     *       mov dx, 3FDh / drain: in al, dx / test al, 40h / jz drain  ; until COM1 has sent its last bit
     *       cli / hlt
     * putc: push ax / mov ah, 0Eh / mov bx, 7 / int 10h          ; teletype to the screen
     *       mov dx, 3FDh / .wait: in al, dx / test al, 20h / jz .wait   ; COM1 transmitter empty
     *       pop ax / mov dx, 3F8h / out dx, al / ret
     * msg:  db "ready> ", 0                                       (nasm, org 7C00h)
     */
    private static final int[] CODE = {
        0x31, 0xc0, 0x8e, 0xd8, 0xbe, 0x3c, 0x7c, 0xac, 0x84, 0xc0, 0x74, 0x05,
        0xe8, 0x17, 0x00, 0xeb, 0xf6, 0xb4, 0x00, 0xcd, 0x16, 0xe8, 0x0e, 0x00,
        0x3c, 0x71, 0x75, 0xf5, 0xba, 0xfd, 0x03, 0xec, 0xa8, 0x40, 0x74, 0xfb,
        0xfa, 0xf4, 0x50, 0xb4, 0x0e, 0xbb, 0x07, 0x00, 0xcd, 0x10, 0xba, 0xfd,
        0x03, 0xec, 0xa8, 0x20, 0x74, 0xfb, 0x58, 0xba, 0xf8, 0x03, 0xee, 0xc3,
        0x72, 0x65, 0x61, 0x64, 0x79, 0x3e, 0x20, 0x00,
    };

    private EchoGuest() {
    }

    /** Writes the guest as a 1.44 MB floppy image at {@code file}. */
    static Path floppy(Path file) throws IOException {
        byte[] image = new byte[1_474_560];
        for (int i = 0; i < CODE.length; i++) {
            image[i] = (byte) CODE[i];
        }
        image[510] = 0x55;
        image[511] = (byte) 0xAA;
        return Files.write(file, image);
    }
}
