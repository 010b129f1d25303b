; Strata's machine test ROM: code at F000:E000 of a 64 KiB ROM, entered from the reset vector at F000:FFF0.
; The byte at F000:DFFF picks what it does after greeting (see TestFirmware). Assemble: nasm -f bin test-rom.asm
bits 16
org 0xE000
MODE equ 0xDFFF

start:
    cli
    mov ax, cs
    mov ds, ax
    xor ax, ax
    mov ss, ax
    mov sp, 0x7000
    mov dx, 0x3FB          ; COM1: divisor 1 (115200 baud), 8N1
    mov al, 0x80
    out dx, al
    mov dx, 0x3F8
    mov al, 1
    out dx, al
    inc dx
    xor al, al
    out dx, al
    mov dx, 0x3FB
    mov al, 3
    out dx, al
    xor ax, ax
    mov es, ax
    inc byte [es:0x500]    ; boots counted in RAM, which survives a reset
    mov si, msg_boot
    call print
    mov al, [es:0x500]
    add al, '0'
    call putc
    mov si, crlf
    call print
    mov ax, 0xB800
    mov es, ax
    xor di, di
    mov si, scr
    mov ah, 0x07
.s: lodsb
    or al, al
    jz .sd
    stosw
    jmp .s
.sd:
    mov al, [MODE]
    cmp al, 1
    je poweroff
    cmp al, 2
    je triple
    cmp al, 3
    je forever
    cmp al, 4
    je kbcreset
halt:
    cli
    hlt
    jmp halt
poweroff:
    mov si, msg_bye
    call print
    mov al, 0
    out 0xF4, al
    jmp halt
forever:
    jmp forever
triple:
    xor ax, ax
    mov es, ax
    cmp byte [es:0x500], 2
    jae poweroff
    lidt [cs:idt0]
    int 3
    jmp halt
kbcreset:
    xor ax, ax
    mov es, ax
    cmp byte [es:0x500], 2
    jae poweroff
    mov al, 0xFE
    out 0x64, al
    jmp halt

print:
    lodsb
    or al, al
    jz .r
    call putc
    jmp print
.r: ret

putc:
    push ax
    push dx
    mov ah, al
    out 0xE9, al
    mov dx, 0x3FD
.w: in al, dx
    test al, 0x20
    jz .w
    mov dx, 0x3F8
    mov al, ah
    out dx, al
    mov dx, 0x3FD          ; wait until it has left the line, so nothing is lost at power-off or reset
.e: in al, dx
    test al, 0x40
    jz .e
    pop dx
    pop ax
    ret

idt0: dw 0
      dd 0
msg_boot: db "HELLO FROM STRATA TEST ROM, BOOT ", 0
crlf: db 13, 10, 0
msg_bye: db "POWER OFF", 13, 10, 0
scr: db "SCREEN TEXT OK", 0
