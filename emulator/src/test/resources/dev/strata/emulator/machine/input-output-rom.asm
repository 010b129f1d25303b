; Strata's input and output test ROM: code at F000:E000 of a 64 KiB ROM, entered from the reset vector at F000:FFF0.
; It sleeps in HLT on a 100 Hz timer (PIT counter 0, IRQ 0), so virtual time passes in few instructions, then does
; what the byte at F000:DFFF says (see InputOutputFirmware). Port F4h powers the machine off. E9h gets the reports.
; Assemble: nasm -f bin input-output-rom.asm
bits 16
org 0xE000
MODE equ 0xDFFF
TICKS equ 0x500                ; timer ticks, counted in RAM

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7000
    mov word [8 * 4], tick     ; IRQ 0 at vector 8
    mov word [8 * 4 + 2], 0xF000
    mov word [TICKS], 0
    mov al, 0x11               ; PIC: edge triggered, cascade, ICW4
    out 0x20, al
    mov al, 0x08
    out 0x21, al
    mov al, 0x04
    out 0x21, al
    mov al, 0x01
    out 0x21, al
    mov al, 0xFE               ; only IRQ 0
    out 0x21, al
    mov al, 0x34               ; PIT counter 0, mode 2, divisor 11932: 100 Hz
    out 0x43, al
    mov al, 0x9C
    out 0x40, al
    mov al, 0x2E
    out 0x40, al
    mov ax, 0xB800
    mov es, ax
    mov di, 30 * 160           ; "SCROLLED IN" on row 30, below the 25 rows shown
    mov si, scrolled
    call show
    mov bx, 150                ; the keyboard modes (0-2) wait 1.5 s
    cmp byte [cs:MODE], 3
    jb .sleep
    mov bx, 15                 ; the screen modes (3, 4) 150 ms
.sleep:
    sti
.wait:
    hlt
    cmp [TICKS], bx
    jb .wait
    cli
    mov al, [cs:MODE]
    cmp al, 0
    je read_late
    cmp al, 1
    je poll_late
    cmp al, 3
    je screen_write
    cmp al, 4
    je screen_scroll
    call report_waiting        ; 2: never reads the keyboard
    jmp poweroff

; 0: reads port 60h for the first time after 1.5 s, then waits for a key and reports its scan code
read_late:
    call report_waiting
    in al, 0x60
    jmp key

; 1: polls the status port for a key after 1.5 s without having read port 60h, then reports its scan code
poll_late:
    call report_waiting
key:
    in al, 0x64
    test al, 1
    jz key
    in al, 0x60
    out 0xE9, al
poweroff:
    out 0xF4, al
    hlt
    jmp poweroff

; 3: writes "READY" at the top of the screen after 150 ms, says so on E9h and spins
screen_write:
    xor di, di
    mov si, ready
    call show
    mov al, '!'
    out 0xE9, al
    jmp $

; 4: scrolls row 30 into view after 150 ms by moving the CRTC start address to row 10, says so and spins
screen_scroll:
    mov dx, 0x3D4
    mov ax, (10 * 80 & 0xFF00) | 0x0C
    out dx, ax
    mov ax, (10 * 80 & 0xFF) << 8 | 0x0D
    out dx, ax
    mov al, '!'
    out 0xE9, al
    jmp $

; E9h gets W when no key waits in the controller yet, E when one already does (typed before the guest read)
report_waiting:
    in al, 0x64
    test al, 1
    mov al, 'W'
    jz .out
    mov al, 'E'
.out:
    out 0xE9, al
    ret

; writes the zero-ended text at CS:SI to ES:DI in grey on black
show:
    mov ah, 0x07
.next:
    cs lodsb
    or al, al
    jz .done
    stosw
    jmp .next
.done:
    ret

tick:
    inc word [TICKS]
    push ax
    mov al, 0x20
    out 0x20, al
    pop ax
    iret

ready: db "READY", 0
scrolled: db "SCROLLED IN", 0
