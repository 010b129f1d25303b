; Boot sector for GoldenStateTest: reads sectors 1 and 2 of the primary master with READ SECTORS (20h) by PIO,
; stops half-way through the first sector to announce "mid" on the debug port E9h (a saved state is taken here,
; with the command in flight: DRQ set, 256 bytes of the sector buffer still unread), then reads the rest and prints
; a position-dependent checksum of the 512 words: "sum=XXXX done", on E9h and COM1.
; Build: nasm -f bin -o ide-pio-in-flight.bin ide-pio-in-flight.asm
bits 16
org 0x7c00

start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    cld

    mov dx, 0x3f6           ; device control: nIEN, no interrupt wanted
    mov al, 0x02
    out dx, al
    mov dx, 0x1f6           ; master, LBA mode, LBA 27:24 = 0
    mov al, 0xe0
    out dx, al
    mov dx, 0x1f2           ; two sectors
    mov al, 2
    out dx, al
    mov dx, 0x1f3           ; from LBA 1
    mov al, 1
    out dx, al
    xor al, al
    mov dx, 0x1f4
    out dx, al
    mov dx, 0x1f5
    out dx, al
    mov dx, 0x1f7
    mov al, 0x20            ; READ SECTORS
    out dx, al

    call wait_drq
    mov di, buffer
    mov cx, 128             ; half of the first sector
    mov dx, 0x1f0
    rep insw

    mov si, mid
    call puts

    mov ecx, 300000         ; the state is saved somewhere in here
delay:
    dec ecx
    jnz delay

    mov cx, 128             ; the rest of the first sector
    mov dx, 0x1f0
    rep insw
    call wait_drq
    mov cx, 256             ; the second sector
    mov dx, 0x1f0
    rep insw

    mov si, buffer          ; sum = rol(sum, 1) xor word, over the 512 words
    mov cx, 512
    xor bx, bx
sum:
    lodsw
    rol bx, 1
    xor bx, ax
    loop sum

    mov si, prefix
    call puts
    mov cx, 4
hex:
    rol bx, 4
    mov al, bl
    and al, 0x0f
    add al, '0'
    cmp al, '9'
    jbe digit
    add al, 'A' - '0' - 10
digit:
    call putc
    loop hex
    mov si, done
    call puts
    mov dx, 0x3fd
drain:
    in al, dx               ; line status: until COM1 has sent its last bit
    test al, 0x40
    jz drain
halt:
    hlt
    jmp halt

wait_drq:                   ; until BSY clear and DRQ set
    mov dx, 0x1f7
.poll:
    in al, dx
    test al, 0x80
    jnz .poll
    test al, 0x08
    jz .poll
    ret

puts:
    lodsb
    test al, al
    jz .end
    call putc
    jmp puts
.end:
    ret

putc:                       ; AL to the debug port and to COM1 (Strata's BIOS set COM1 up)
    push dx
    out 0xe9, al
    push ax
    mov dx, 0x3fd
.wait:
    in al, dx               ; line status: until the transmit holding register is empty
    test al, 0x20
    jz .wait
    pop ax
    mov dx, 0x3f8
    out dx, al
    pop dx
    ret

mid:    db "mid", 10, 0
prefix: db "sum=", 0
done:   db " done", 10, 0

    times 510 - ($ - $$) db 0
    dw 0xaa55

buffer equ 0x8000
