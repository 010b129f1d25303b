; ---------------------------------------------------------------------------------------------------------------
; Protected mode and paging guest for the gdb session test: a boot sector that turns A20 on, switches to 32-bit
; protected mode with flat segments (CS=08h, data 10h), builds page tables that map the first 4 MiB onto itself
; and linear 400000h onto physical 30000h, turns paging on and then counts in EBX forever, storing each count at
; linear 400004h (physical 30004h). Linear 400000h holds 12345678h. So gdb sees different bytes at the same
; address as linear and as physical memory, and breaks in 32-bit code at fixed addresses:
;   7D00h  paged:  the first instruction with paging on
;   7D10h  spin:   inc ebx
;   7D11h          mov [400004h], ebx
;   7D17h          jmp spin
; Build: nasm -f bin -o pmpaging.bin pmpaging.asm (GdbSessionTest assembles it and boots it from a floppy).
; ---------------------------------------------------------------------------------------------------------------
bits 16
org 0x7C00

PAGE_DIR  equ 0x20000
PAGE_TAB0 equ 0x21000                   ; linear 0-4 MiB, onto itself
PAGE_TAB1 equ 0x22000                   ; linear 4-8 MiB: only its first page, onto DATA_PHYS
DATA_PHYS equ 0x30000
DATA_LIN  equ 0x400000

start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7C00
    in al, 0x92                         ; A20 on (fast A20 gate), or linear 400000h would not be 4 MiB up
    or al, 2
    and al, 0xFE
    out 0x92, al
    lgdt [gdt_desc]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp 0x08:pm32

bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, 0x7C00
    mov edi, PAGE_DIR                   ; the directory and both tables, cleared
    xor eax, eax
    mov ecx, 3 * 1024
    cld
    rep stosd
    mov dword [PAGE_DIR], PAGE_TAB0 | 3     ; present, writable
    mov dword [PAGE_DIR + 4], PAGE_TAB1 | 3
    mov edi, PAGE_TAB0
    mov eax, 3
.fill:
    stosd
    add eax, 0x1000
    cmp edi, PAGE_TAB0 + 4096
    jb .fill
    mov dword [PAGE_TAB1], DATA_PHYS | 3
    mov eax, PAGE_DIR
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp paged

gdt:
    dq 0
    dq 0x00CF9A000000FFFF               ; 08h: code, base 0, 4 GiB, 32-bit
    dq 0x00CF92000000FFFF               ; 10h: data, base 0, 4 GiB
gdt_desc:
    dw gdt_desc - gdt - 1
    dd gdt

    times 0x100 - ($ - $$) db 0x90
paged:                                  ; 7D00h
    mov dword [DATA_LIN], 0x12345678
    xor ebx, ebx
    times 0x110 - ($ - $$) db 0x90
spin:                                   ; 7D10h
    inc ebx
    mov [DATA_LIN + 4], ebx
    jmp spin

    times 510 - ($ - $$) db 0
    dw 0xAA55
