; Strata's warm-up guest: the workload the launcher runs once per build so that the JVM's start-up archive (the
; class list on Java 17, classes and method profiles on Java 25 and later) knows the code a guest keeps busy.
; A boot sector (loading three more) that does, in miniature, what a DOS boot and a DOS program do: BIOS disk reads, screen output,
; string moves, and a compute loop of loads, stores, ALU ops, CALL/RET and DIV long enough for the translating
; tier to start; then it writes MARKER to COM1 and halts.
; Build: nasm -f bin -o warmup.bin warmup.asm   (four sectors; `strata warm-up` pads them to a 1.44 MB floppy)
        bits 16
        org 7C00h
start:  cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 7C00h
        sti
        ; the rest of the program: sectors 2-4 to 0000:7E00
        mov es, ax
        mov bx, 7E00h
        mov ax, 0203h
        mov cx, 0002h
        xor dx, dx
        int 13h
        jmp main
        times 510 - ($ - $$) db 0
        dw 0AA55h

main:   mov si, msg_start
        call print
        ; BIOS disk reads: track 0 (18 sectors) into 1000:0000, 60 times
        mov bp, 60
.disk:  mov ax, 1000h
        mov es, ax
        xor bx, bx
        mov ax, 0212h           ; AH=02h read, AL=18 sectors
        mov cx, 0001h           ; cylinder 0, sector 1
        xor dx, dx              ; head 0, drive A:
        int 13h
        dec bp
        jnz .disk
        ; string moves: 32 KiB from 1000:0000 to 2000:0000, 150 times
        push ds
        mov ax, 1000h
        mov ds, ax
        mov ax, 2000h
        mov es, ax
        cld
        mov bp, 150
.move:  xor si, si
        xor di, di
        mov cx, 4000h
        rep movsw
        dec bp
        jnz .move
        pop ds
        ; varied code, as a boot decodes and runs code once: 16- and 32-bit forms of most instruction groups,
        ; copied to 200 places (5000:0000 on, 512 bytes apart) and run from each, 3 times
        xor ax, ax
        mov es, ax
        mov word [es:60h*4], int60      ; INT 60h: a software interrupt handler the varied code calls
        mov word [es:60h*4+2], 0
        mov bp, 200
        mov word [seg_at], 5000h
.copy:  mov es, [seg_at]
        mov si, varied
        xor di, di
        mov cx, varied_end - varied
        rep movsb
        mov word [far_ptr], 0
        mov ax, [seg_at]
        mov [far_ptr+2], ax
        call far [far_ptr]
        call far [far_ptr]
        call far [far_ptr]
        add word [seg_at], 20h
        dec bp
        jnz .copy
        ; the compute loop of `strata bench guests` (loop.asm), data in 3000:0000
        push ds
        mov ax, 3000h
        mov ds, ax
        mov word [0], 1234h
        mov word [2], 0
        mov si, 1000            ; outer iterations: about 40 million instructions in all
outer:  mov cx, 2500
inner:  mov ax, [0]
        add ax, cx
        xor ax, si
        mov [0], ax
        call mix
        mov bx, cx
        or bx, 1
        xor dx, dx
        div bx
        add [2], dx
        loop inner
        dec si
        jnz outer
        pop ds
        mov si, msg_done
        call print
.halt:  cli
        hlt
        jmp .halt

mix:    shl ax, 1
        adc ax, 3
        and ax, 7FFFh
        sub ax, [2]
        ret

; varied: position-independent code of many instruction forms (run at 5000:0000 and beyond), data in 3000:0100
varied: push ds
        push es
        mov ax, 3000h
        mov ds, ax
        mov es, ax
        mov eax, 12345678h
        mov ebx, eax
        shl ebx, 3
        ror eax, 5
        imul ecx, ebx, 7
        add eax, ecx
        adc edx, 0
        sub ebx, eax
        sbb ecx, ebx
        xchg ax, bx
        cwd
        cdq
        movzx edx, al
        movsx esi, bl
        and esi, 0FFh
        lea di, [bx+si+4]
        and di, 0FFh
        add di, 100h
        mov [di], eax
        mov [di+4], bx
        inc word [di+4]
        dec byte [di]
        neg eax
        not ebx
        test eax, ebx
        or ecx, [di]
        xor edx, [di]
        bt eax, 7
        setc al
        bsf ecx, ebx
        cmp eax, ebx
        cmovb eax, ebx
        pusha
        push word 1234h
        pop ax
        popa
        pushfd
        popfd
        mov cx, 3
.l1:    rol dx, cl
        rcl ax, 1
        sar bx, 1
        loop .l1
        mov bx, 7
        mov ax, 1000
        xor dx, dx
        div bx
        mul bx
        mov ax, -1000
        cwd
        idiv bx
        imul bx
        cld
        mov si, 100h
        mov di, 140h
        mov cx, 16
        rep movsw
        mov si, 100h
        lodsw
        mov al, 5
        mov di, 180h
        mov cx, 32
        rep stosb
        mov di, 180h
        mov cx, 32
        repe scasb
        mov si, 100h
        mov di, 140h
        mov cx, 8
        repe cmpsw
        int 60h
        cmp ax, bx
        jg .g
        jl .g
.g:     ja .a
        jbe .a
.a:     jcxz .z
.z:     call .sub
        pop es
        pop ds
        retf
.sub:   push bp
        mov bp, sp
        mov ax, [bp+2]
        enter 4, 0
        leave
        pop bp
        ret
varied_end:

int60:  push ax
        mov ax, 3F8h
        add ax, 5
        pop ax
        iret

; print: the zero-terminated string at DS:SI on the screen (INT 10h teletype) and on COM1 (polling its LSR)
print:  lodsb
        or al, al
        jz .end
        mov ah, 0Eh
        xor bx, bx
        int 10h
        mov ah, al
        mov dx, 3FDh
.wait:  in al, dx
        test al, 20h
        jz .wait
        mov al, ah
        mov dx, 3F8h
        out dx, al
        jmp print
.end:   ret

seg_at    dw 0
far_ptr   dw 0, 0
msg_start db "Strata warm-up: start", 13, 10, 0
msg_done  db "Strata warm-up: done", 13, 10, 0
        times 2048 - ($ - $$) db 0
