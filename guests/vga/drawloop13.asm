; ---------------------------------------------------------------------------------------------------------------
; Window speed guest, mode 13h: a boot sector that sets mode 13h through INT 10h and redraws every dot of the screen
; PASSES times (one STOSB a dot, each pass a different colour ramp), then says "done" on COM1 and halts. Run with
; --deterministic, --expect done and --stats, with --gui and --headless, to see the frames per second the window
; keeps up while the guest draws all the time and what the window costs the CPU thread (README, the window).
; Build: nasm -f bin -DPASSES=5000 -o drawloop13.bin drawloop13.asm, then put it in the first sector of a floppy.
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0x7C00
start:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7C00
    mov ax, 0x0013
    int 0x10
    mov ax, 0xA000
    mov es, ax
    xor bp, bp
.frame:
    xor di, di
    mov cx, 64000
    mov ax, bp
    cld
.px:
    stosb
    inc al
    loop .px
    inc bp
    cmp bp, PASSES
    jb .frame
    mov si, msg
.p: lodsb
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
    jmp .p
.spin:
    hlt
    jmp .spin
msg db "done", 13, 10, 0
times 510 - ($ - $$) db 0
dw 0xAA55
