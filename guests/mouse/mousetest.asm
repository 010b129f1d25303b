; ---------------------------------------------------------------------------------------------------------------
; PS/2 mouse test guest: a boot sector that sets the mouse up as a DOS mouse driver does, through the BIOS's
; INT 15h AH=C2h services (initialize with 3-byte packets, set the far call handler, enable), writes "mouse ready"
; to COM1, then waits with interrupts on. The BIOS's IRQ 12 handler calls its handler with each packet's status,
; X and Y words (and a zero) on the stack; for each one it writes "packet SS XX YY" in hex to COM1. After three
; packets it writes "done" and halts. A failed call writes "fail AL=.. AH=.." with the function and status.
;
; Build: nasm -f bin -o mousetest.bin mousetest.asm (MouseGuestTest assembles it and boots it from a floppy).
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0x7C00

COM1 equ 0x3F8

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti

    mov ax, 0xC205              ; initialize: 3-byte packets (resets the mouse)
    mov bh, 3
    int 0x15
    jc fail
    mov ax, 0xC207              ; the far call handler: ES:BX
    mov bx, handler
    int 0x15
    jc fail
    mov ax, 0xC200              ; enable
    mov bh, 1
    int 0x15
    jc fail
    mov si, ready
    call print

wait_packet:
    hlt
    cmp byte [got], 0
    je wait_packet
    mov byte [got], 0
    mov si, packet
    call print
    mov al, [status]
    call hex
    mov al, ' '
    call putc
    mov al, [xmove]
    call hex
    mov al, ' '
    call putc
    mov al, [ymove]
    call hex
    mov si, newline
    call print
    inc byte [count]
    cmp byte [count], 3
    jb wait_packet
    mov si, done
    call print
    cli
    hlt

fail:
    push ax
    mov si, failed
    call print
    pop ax
    push ax
    call hex                    ; AL: the function (the BIOS leaves it)
    mov si, ahis
    call print
    pop ax
    mov al, ah
    call hex
    mov si, newline
    call print
    cli
    hlt

; The BIOS calls this far, with interrupts on: [bp+6] 0, [bp+8] Y, [bp+10] X, [bp+12] status.
handler:
    push bp
    mov bp, sp
    push ax
    mov ax, [bp+12]
    mov [cs:status], al
    mov ax, [bp+10]
    mov [cs:xmove], al
    mov ax, [bp+8]
    mov [cs:ymove], al
    mov byte [cs:got], 1
    pop ax
    pop bp
    retf

; Writes the zero-terminated string at DS:SI to COM1.
print:
    lodsb
    or al, al
    jz .end
    call putc
    jmp print
.end:
    ret

; Writes AL as two hex digits.
hex:
    push ax
    shr al, 4
    call nibble
    pop ax
    and al, 0x0F
nibble:
    add al, '0'
    cmp al, '9'
    jbe putc
    add al, 'A' - '0' - 10
; Writes AL to COM1 once the transmitter holding register is empty.
putc:
    push dx
    push ax
    mov dx, COM1 + 5
.busy:
    in al, dx
    test al, 0x20
    jz .busy
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    ret

got:     db 0
count:   db 0
status:  db 0
xmove:   db 0
ymove:   db 0
ready:   db "mouse ready", 13, 10, 0
packet:  db "packet ", 0
newline: db 13, 10, 0
done:    db "done", 13, 10, 0
failed:  db "fail AL=", 0
ahis:    db " AH=", 0

    times 510 - ($ - $$) db 0
    dw 0xAA55
