; ---------------------------------------------------------------------------------------------------------------
; VBE protected-mode interface test guest: a boot sector that sets VBE mode 105h (1024x768, 8 bits per pixel) with
; the linear frame buffer, asks INT 10h AX=4F0Ah for the protected-mode interface, switches to 32-bit protected
; mode with flat segments and calls its routines where they are in the ROM, as Linux's vesafb does: set window
; (bank 3, then bank 999, which does not exist), set display start (line 10: 10 * 1024 bytes, given / 4) and set
; palette (entries 1 and 2 from a table; then entries 255 and 256, past the DAC). It writes the table's linear
; address and then each routine's AX in hex on the debug port E9h, then "done", and spins.
; Build: nasm -f bin -I guests/common/ -o vbepm.bin vbepm.asm (VbeProtectedModeGuestTest assembles it and boots it
; from a floppy).
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0x7C00
%include "flat32.inc"

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti

    mov ax, 0x4F02
    mov bx, 0x4105                      ; 1024x768x8, linear frame buffer
    int 0x10
    cmp ax, 0x004F
    jne bad
    mov ax, 0x4F0A
    xor bx, bx
    int 0x10
    cmp ax, 0x004F
    jne bad
    xor eax, eax
    mov ax, es
    shl eax, 4
    movzx edi, di
    add eax, edi
    mov [pmi], eax                      ; the table's linear address
    xor ax, ax
    mov es, ax

    FLAT32_ENTER pm32

bad:
    mov al, '!'
    out 0xE9, al
    cli
    hlt

bits 32
pm32:
    FLAT32_SEGMENTS
    mov esi, [pmi]
    mov eax, esi                        ; where the table is
    shr eax, 16
    call report
    mov eax, esi
    call report

    xor ebx, ebx                        ; set window A to bank 3
    mov edx, 3
    movzx eax, word [esi]
    add eax, esi
    call eax
    call report
    xor ebx, ebx                        ; bank 999: past video memory
    mov edx, 999
    movzx eax, word [esi]
    add eax, esi
    call eax
    call report

    xor ebx, ebx                        ; display start at line 10
    mov ecx, 10 * 1024 / 4
    xor edx, edx
    movzx eax, word [esi + 2]
    add eax, esi
    call eax
    call report

    xor ebx, ebx                        ; palette entries 1 and 2
    mov ecx, 2
    mov edx, 1
    mov edi, palette
    movzx eax, word [esi + 4]
    add eax, esi
    call eax
    call report
    xor ebx, ebx                        ; entries 255 and 256: past the DAC
    mov ecx, 2
    mov edx, 255
    mov edi, palette
    movzx eax, word [esi + 4]
    add eax, esi
    call eax
    call report

    mov esi, msg_done
.print:
    lodsb
    test al, al
    jz .spin
    out 0xE9, al
    jmp .print
.spin:
    jmp .spin

; writes AX as four hex digits and a space on port E9h
report:
    push ecx
    mov ecx, 4
.digit:
    rol ax, 4
    push eax
    and al, 0x0F
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'A' - '9' - 1
.out:
    out 0xE9, al
    pop eax
    loop .digit
    mov al, ' '
    out 0xE9, al
    pop ecx
    ret

align 4
pmi dd 0
palette:
    db 0x05, 0x06, 0x07, 0                ; entry 1: blue, green, red
    db 0x3F, 0x20, 0x10, 0                ; entry 2
FLAT32_GDT

msg_done db "done", 0

times 510 - ($ - $$) db 0
dw 0xAA55
