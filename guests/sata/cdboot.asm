; ---------------------------------------------------------------------------------------------------------------
; SATA CD boot test guest: an El Torito no-emulation boot image (loaded at 07C0:0000 by the BIOS). Through INT 13h
; on the drive the BIOS passed in DL it checks the EDD extensions (AH=41h), asks the drive's parameters (AH=48h:
; 2048-byte sectors) and reads sector 16 (AH=42h), the primary volume descriptor. It writes
; "cd boot dl=XX vol=NAME" (NAME: the volume identifier, trailing blanks dropped) and a newline to COM1, or
; "cd boot failed at N" (N: which step), waits until COM1 has sent it all and halts.
; Build: nasm -f bin -o cdboot.bin cdboot.asm (SataCdBootTest assembles it and makes an ISO with xorriso).
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0

COM1 equ 0x3F8
PVD  equ 0x1000                         ; offset of the read buffer in this segment (07C0:1000 = 8C00h)

start:
    push cs
    pop ds
    push cs
    pop es
    cli
    xor ax, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
    mov [drive], dl

    mov byte [step], '1'                ; EDD present on this drive
    mov ah, 0x41
    mov bx, 0x55AA
    mov dl, [drive]
    int 0x13
    jc fail
    cmp bx, 0xAA55
    jne fail

    mov byte [step], '2'                ; drive parameters: 2048 bytes per sector
    mov word [params], 0x1A
    mov ah, 0x48
    mov dl, [drive]
    mov si, params
    int 0x13
    jc fail
    cmp word [params + 0x18], 2048
    jne fail

    mov byte [step], '3'                ; sector 16: the primary volume descriptor
    mov [packet + 6], cs
    mov ah, 0x42
    mov dl, [drive]
    mov si, packet
    int 0x13
    jc fail
    cmp byte [PVD], 1
    jne fail
    cmp dword [PVD + 1], 'CD00'
    jne fail

    mov si, msg_ok
    call print
    mov al, [drive]
    call hex8
    mov si, msg_vol
    call print
    mov cx, 32                          ; the volume identifier, bytes 40-71, up to its first blank
    mov si, PVD + 40
.vol:
    lodsb
    cmp al, ' '
    je .end
    call putc
    loop .vol
.end:
    mov al, 10
    call putc
    jmp done

fail:
    mov si, msg_fail
    call print
    mov al, [step]
    call putc
    mov al, 10
    call putc
done:
    mov dx, COM1 + 5                    ; the last byte out of the UART before the CPU stops for good
.drain:
    in al, dx
    test al, 0x40
    jz .drain
halt:
    cli
    hlt
    jmp halt

; prints the zero-terminated string at DS:SI on COM1
print:
    lodsb
    test al, al
    jz .done
    call putc
    jmp print
.done:
    ret

; prints AL as two hex digits
hex8:
    push ax
    shr al, 4
    call nibble
    pop ax
    and al, 0x0F
nibble:
    add al, '0'
    cmp al, '9'
    jbe putc
    add al, 'A' - '9' - 1
; sends AL to COM1 once its transmitter holding register is empty
putc:
    push dx
    push ax
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    ret

msg_ok   db "cd boot dl=", 0
msg_vol  db " vol=", 0
msg_fail db "cd boot failed at ", 0
drive    db 0
step     db 0
align 4
packet   db 16, 0                       ; disk address packet: size, reserved
         dw 1                           ; one sector
         dw PVD, 0                      ; buffer offset, segment (CS, set above)
         dq 16                          ; LBA 16
params   times 0x1E db 0
