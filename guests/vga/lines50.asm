; ---------------------------------------------------------------------------------------------------------------
; LINES50.COM: puts a DOS text screen in 80x50, as FreeDOS's `mode con lines=50` does on a VGA (its MODE.COM is not
; on the FreeDOS floppy the tests use): text mode 3 again, then INT 10h AX=1112h loads the ROM's 8x8 font into
; character map 0 and recomputes the rows (the BIOS keeps rows - 1 at 40:84h, which DOS and its shell read).
; Writes "rows " and the row count to the debug port E9h, then exits to DOS.
; Build: nasm -f bin -o LINES50.COM lines50.asm (FreeDosVgaTest assembles it and copies it to a FreeDOS floppy).
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0x100

start:
    mov ax, 0x0003
    int 0x10
    mov ax, 0x1112
    xor bl, bl
    int 0x10
    mov si, msgrows
.print:
    lodsb
    or al, al
    jz .count
    out 0xE9, al
    jmp .print
.count:
    push ds
    mov ax, 0x40
    mov ds, ax
    mov al, [0x84]              ; rows - 1
    pop ds
    inc al
    aam                         ; AH = tens, AL = units
    add ax, 0x3030
    xchg al, ah
    out 0xE9, al
    mov al, ah
    out 0xE9, al
    mov al, 10
    out 0xE9, al
    mov ax, 0x4C00
    int 0x21

msgrows db "rows ", 0
