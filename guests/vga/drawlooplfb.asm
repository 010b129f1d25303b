; ---------------------------------------------------------------------------------------------------------------
; Window speed guest, 1024x768x32: a boot sector that sets VBE mode 144h with the linear frame buffer (as
; vbelfb.asm does), switches to 32-bit protected mode and redraws every pixel through the frame buffer PASSES
; times (about a dozen instructions a pixel; the red ramp moves by one each pass), then says "done" on COM1 and
; spins. Run as drawloop13.asm is run (README, the window).
; Build: nasm -f bin -DPASSES=700 -o drawlooplfb.bin drawlooplfb.asm, then put it in the first sector of a floppy.
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0x7C00

MODE_INFO equ 0x8000

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

    in al, 0x92                         ; A20 on (fast A20 gate): the frame buffer spans odd megabytes
    or al, 2
    and al, 0xFE
    out 0x92, al
    cli
    lgdt [gdt_desc]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp 0x08:pm32

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
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x7C00
    cld
    xor ebp, ebp
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
    mov ah, al
    mov dx, 0x3FD
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    mov al, ah
    mov dx, 0x3F8
    out dx, al
    jmp .print
.spin:
    jmp .spin

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF               ; 08h: flat 32-bit code
    dq 0x00CF92000000FFFF               ; 10h: flat data
gdt_desc:
    dw gdt_desc - gdt - 1
    dd gdt

msg_mode db "vbe ok", 10, 0
msg_bad  db "bad", 10, 0
msg_done db "done", 10, 0

times 510 - ($ - $$) db 0
dw 0xAA55
