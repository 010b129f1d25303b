; ---------------------------------------------------------------------------------------------------------------
; VBE linear frame buffer test guest: a boot sector that asks INT 10h AX=4F01h for mode 144h (1024x768, 32 bits per
; pixel), sets it with the linear frame buffer (AX=4F02h, BX=4144h), turns A20 on, switches to 32-bit protected mode
; with flat segments and draws every pixel through the frame buffer at the mode information's PhysBasePtr. It reports
; "vbe ok" (or "bad") after the mode set and "done" when the picture is complete on the debug port E9h, then spins.
;
; The colour of pixel x,y: red = x & 255, green = y & 255, blue = (x ^ y) & 255.
; Build: nasm -f bin -I guests/common/ -o vbelfb.bin vbelfb.asm (VbeLfbGuestTest assembles it and boots it from a
; floppy).
;
; With -DPASSES=N it is the window's speed guest for 1024x768x32: it draws the picture N times, the red ramp moved
; by one each pass (about a dozen instructions a pixel), before "done" (README, the window). Build:
; nasm -f bin -I guests/common/ -DPASSES=700 -o drawlooplfb.bin vbelfb.asm, then put it in the first sector of a floppy.
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0x7C00
%include "flat32.inc"

MODE_INFO equ 0x8000
%ifndef PASSES
%define PASSES 1
%endif

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7C00
    sti

    mov ax, 0x4F01
    mov cx, 0x144
    mov di, MODE_INFO
    int 0x10
    cmp ax, 0x004F
    jne bad
    test byte [MODE_INFO], 0x80         ; a linear frame buffer is offered
    jz bad
    mov ax, 0x4F02
    mov bx, 0x4144                      ; bit 14: linear frame buffer
    int 0x10
    cmp ax, 0x004F
    jne bad
    mov si, msg_mode
    call print16

    FLAT32_ENTER pm32

bad:
    mov si, msg_bad
    call print16
    cli
    hlt

print16:
    lodsb
    test al, al
    jz .done
    out 0xE9, al
    jmp print16
.done:
    ret

bits 32
pm32:
    FLAT32_SEGMENTS
    cld
    xor ebp, ebp                        ; pass
.frame:
    mov edi, [MODE_INFO + 0x28]         ; PhysBasePtr
    xor ebx, ebx                        ; y
.row:
    xor ecx, ecx                        ; x
.col:
    lea eax, [ecx + ebp]
    and eax, 0xFF
    shl eax, 16
    mov edx, ebx
    and edx, 0xFF
    shl edx, 8
    or eax, edx
    mov edx, ecx
    xor edx, ebx
    and edx, 0xFF
    or eax, edx
    stosd
    inc ecx
    cmp ecx, 1024
    jb .col
    inc ebx
    cmp ebx, 768
    jb .row
    inc ebp
    cmp ebp, PASSES
    jb .frame

    mov esi, msg_done
.print:
    lodsb
    test al, al
    jz .spin
    out 0xE9, al
    jmp .print
.spin:
    jmp .spin                           ; stays up (no IDT for interrupts), so a window can still look at it

FLAT32_GDT

msg_mode db "vbe ok", 10, 0
msg_bad  db "bad", 10, 0
msg_done db "done", 10, 0

times 510 - ($ - $$) db 0
dw 0xAA55
