; ---------------------------------------------------------------------------------------------------------------
; The VBE 2.0 protected-mode interface of Strata's BIOS (INT 10h AX=4F0Ah points ES:DI at its table, CX = its
; length): 32-bit code a protected-mode caller copies or calls in place, with the DISPI registers and the DAC
; programmed directly, as the Bochs VGA BIOS does, so it needs no BIOS call. Every routine is position independent
; and returns with a near RET, AX=004Fh on success or 014Fh on failure.
;   set window (4F05h):        BX=0000h (window A), DX = the position in 64 KiB units
;   set display start (4F07h): BL=00h or 80h, CX:DX = the start in bytes / 4 (CX bits 0-15, DX bits 16-31)
;   set palette (4F09h):       BL=00h or 80h, CX entries from DX, the table at ES:EDI (blue, green, red, 0 each,
;                              in the DAC's width)
; The port table lists the I/O ports the routines use (FFFFh last) and then the memory areas (none: FFFFh).
; Build: nasm -f bin -o vbepm.bin vbepm.asm; VbeProtectedModeInterface holds the bytes (VbeProtectedModeTest
; assembles this file again and compares).
; ---------------------------------------------------------------------------------------------------------------
bits 32

DISPI_INDEX equ 0x1CE
BANK        equ 5
VIRT_WIDTH  equ 6
BPP         equ 3
X_OFFSET    equ 8
Y_OFFSET    equ 9
VIDEO_MEMORY_64K equ 10

table:
    dw set_window - table
    dw set_display_start - table
    dw set_palette - table
    dw ports - table
ports:
    dw 0x1CE, 0x1CF, 0x3C8, 0x3C9, 0xFFFF
    dw 0xFFFF

set_window:
    test bx, bx
    jnz fail
    push ecx
    push edx
    mov cx, dx
    mov dx, DISPI_INDEX
    mov ax, VIDEO_MEMORY_64K
    out dx, ax
    inc dx
    in ax, dx
    cmp cx, ax
    jae .past                       ; a position past video memory changes nothing
    dec dx
    mov ax, BANK
    out dx, ax
    inc dx
    mov ax, cx
    out dx, ax
    pop edx
    pop ecx
    mov ax, 0x004F
    ret
.past:
    pop edx
    pop ecx
    jmp fail

set_display_start:
    cmp bl, 0x80
    je .go
    test bl, bl
    jnz fail
.go:
    pushad
    movzx ecx, cx
    shl edx, 16
    or ecx, edx
    shl ecx, 2                      ; the start in bytes
    mov dx, DISPI_INDEX
    mov ax, VIRT_WIDTH
    out dx, ax
    inc dx
    in ax, dx
    movzx ebx, ax                   ; pixels a line
    dec dx
    mov ax, BPP
    out dx, ax
    inc dx
    in ax, dx
    movzx esi, ax
    add esi, 7
    shr esi, 3                      ; bytes a pixel
    imul ebx, esi                   ; bytes a line
    test ebx, ebx
    jz .off                         ; no DISPI mode on
    mov eax, ecx
    xor edx, edx
    div ebx
    mov edi, eax                    ; y
    mov eax, edx
    xor edx, edx
    div esi
    mov ecx, eax                    ; x
    mov dx, DISPI_INDEX
    mov ax, X_OFFSET
    out dx, ax
    inc dx
    mov ax, cx
    out dx, ax
    dec dx
    mov ax, Y_OFFSET
    out dx, ax
    inc dx
    mov ax, di
    out dx, ax
    popad
    mov ax, 0x004F
    ret
.off:
    popad
    jmp fail

set_palette:
    cmp bl, 0x80
    je .go
    test bl, bl
    jnz fail
.go:
    pushad
    movzx ecx, cx
    movzx eax, dx
    lea esi, [eax + ecx]
    cmp esi, 256
    ja .range
    mov dx, 0x3C8
    out dx, al
    inc dx
    jecxz .done
.next:
    mov al, [es:edi + 2]
    out dx, al
    mov al, [es:edi + 1]
    out dx, al
    mov al, [es:edi]
    out dx, al
    add edi, 4
    loop .next
.done:
    popad
    mov ax, 0x004F
    ret
.range:
    popad
fail:
    mov ax, 0x014F
    ret
end:
