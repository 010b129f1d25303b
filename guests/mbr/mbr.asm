; A master boot record for guest tests' hard disks: it moves itself to 0000:0600, reads the boot sector of the
; active partition (CHS from its partition entry) to 0000:7C00 through INT 13h and jumps there with DL = the boot
; drive and DS:SI at the entry, as DOS's MBR does. Only the first 446 bytes: the partition table goes after them.
bits 16
org 0x600

start:
    cli
    xor ax, ax
    mov ss, ax
    mov sp, 0x7C00
    mov ds, ax
    mov es, ax
    sti
    cld
    mov si, 0x7C00
    mov di, 0x600
    mov cx, 256
    rep movsw
    jmp 0:relocated

relocated:
    mov [drive], dl
    mov si, 0x600 + 446
    mov cx, 4
find:
    test byte [si], 0x80
    jnz found
    add si, 16
    loop find
    int 0x18                    ; no active partition: let the BIOS try the next device

found:
    mov di, 3                   ; tries
read:
    mov ax, 0x0201
    mov bx, 0x7C00
    mov dh, [si + 1]
    mov cx, [si + 2]
    mov dl, [drive]
    int 0x13
    jnc loaded
    xor ax, ax                  ; reset the disk and try again
    int 0x13
    dec di
    jnz read
    int 0x18

loaded:
    cmp word [0x7DFE], 0xAA55
    jne missing
    mov dl, [drive]
    jmp 0:0x7C00
missing:
    int 0x18

drive: db 0

    times 446 - ($ - $$) db 0
