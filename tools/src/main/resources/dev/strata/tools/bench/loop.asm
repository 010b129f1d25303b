; DOS compute loop for `strata bench guests`: loads, stores, ALU ops, CALL/RET and DIV, about 85 million
; instructions, then exits to DOS. Build: nasm -f bin -o loop.com loop.asm
; The data sits 64 KiB above the code: stores into pages that once held code would measure an emulator's
; self-modifying-code handling (QEMU's in particular) instead of the loop.
        org 100h
        mov ax, cs
        add ax, 1000h
        mov ds, ax
        mov word [data], 1234h
        mov word [data+2], 0
        mov si, 2000            ; outer iterations
outer:  mov cx, 2500            ; inner iterations
inner:  mov ax, [data]
        add ax, cx
        xor ax, si
        mov [data], ax
        call mix
        mov bx, cx
        or bx, 1
        xor dx, dx
        div bx
        add [data+2], dx
        loop inner
        dec si
        jnz outer
        mov ax, 4C00h
        int 21h
mix:    shl ax, 1
        adc ax, 3
        and ax, 7FFFh
        sub ax, [data+2]
        ret
        absolute 0
data:   resw 2
