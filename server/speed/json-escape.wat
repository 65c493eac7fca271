;; JSON string escaping of UTF-8 bytes, 16 bytes at a time (WebAssembly SIMD). Compiled to
;; dist/server/json-escape.wasm by scripts/build-wasm.mjs; used by server/json-escape.ts,
;; which says why and holds the memory layout's other end.
;;
;; JSON escapes, byte by byte, the quote, the backslash and the C0 controls (\b \t \n \f \r
;; by letter, the others as \u00XX); every other byte of valid UTF-8 is copied as it is.
;; Each 16-byte block is compared with those three at once. A block without any (most of
;; a JSON body's blocks are strings' insides, keys, numbers) is copied whole; in one with
;; some, the runs between them are copied 16 bytes at a time and each of them is escaped.
;; Stores of 16 bytes may run past what they keep: the next store writes over the excess,
;; and the output region has 16 bytes of room past the longest output.
(module
  ;; Layout (bytes): 0-31 the letter escape of each C0 control (0: none), 32-47 hex digits,
  ;; 64: the input (up to 64 KiB), 65616: the output (up to 6 bytes an input byte, + 16).
  ;; 64 + 65536 + 16 + 6 * 65536 + 16 = 458848 bytes: 8 pages.
  (memory (export "memory") 8)
  (data (i32.const 8) "btn\00fr")
  (data (i32.const 32) "0123456789abcdef")
  (global $IN i32 (i32.const 64))
  (global $OUT i32 (i32.const 65616))

  ;; Escapes the $n input bytes at 64 into the output at 65616; returns the output's length.
  (func (export "escape") (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $o i32)
    (local $block v128) (local $specials i32) (local $run i32) (local $at i32) (local $byte i32)
    (local.set $i (global.get $IN))
    (local.set $end (i32.add (global.get $IN) (local.get $n)))
    (local.set $o (global.get $OUT))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $block (v128.load (local.get $i)))
        ;; One bit per byte that needs escaping.
        (local.set $specials (i8x16.bitmask
          (v128.or
            (v128.or (i8x16.eq (local.get $block) (i8x16.splat (i32.const 0x22)))
                     (i8x16.eq (local.get $block) (i8x16.splat (i32.const 0x5c))))
            (i8x16.lt_u (local.get $block) (i8x16.splat (i32.const 0x20))))))
        ;; $run: where in the block the bytes not yet written start.
        (local.set $run (i32.const 0))
        (block $specials_done
          (loop $each_special
            (br_if $specials_done (i32.eqz (local.get $specials)))
            (local.set $at (i32.ctz (local.get $specials)))
            ;; The run up to it, then its escape.
            (v128.store (local.get $o) (v128.load (i32.add (local.get $i) (local.get $run))))
            (local.set $o (i32.add (local.get $o) (i32.sub (local.get $at) (local.get $run))))
            (local.set $byte (i32.load8_u (i32.add (local.get $i) (local.get $at))))
            (if (i32.ge_u (local.get $byte) (i32.const 0x20))
              (then
                ;; \" or \\, the common case (every string in a JSON body has two quotes),
                ;; written here: a call costs more than the escape.
                (i32.store16 (local.get $o) (i32.or (i32.shl (local.get $byte) (i32.const 8)) (i32.const 0x5c)))
                (local.set $o (i32.add (local.get $o) (i32.const 2))))
              (else (local.set $o (call $escape_byte (local.get $byte) (local.get $o)))))
            (local.set $run (i32.add (local.get $at) (i32.const 1)))
            ;; Clear the lowest set bit: on to the next.
            (local.set $specials (i32.and (local.get $specials) (i32.sub (local.get $specials) (i32.const 1))))
            (br $each_special)))
        ;; The rest of the block.
        (v128.store (local.get $o) (v128.load (i32.add (local.get $i) (local.get $run))))
        (local.set $o (i32.add (local.get $o) (i32.sub (i32.const 16) (local.get $run))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    ;; The last bytes, fewer than 16, one at a time.
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $byte (i32.load8_u (local.get $i)))
        (if (i32.or (i32.or (i32.eq (local.get $byte) (i32.const 0x22)) (i32.eq (local.get $byte) (i32.const 0x5c)))
                    (i32.lt_u (local.get $byte) (i32.const 0x20)))
          (then (local.set $o (call $escape_byte (local.get $byte) (local.get $o))))
          (else
            (i32.store8 (local.get $o) (local.get $byte))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
    (i32.sub (local.get $o) (global.get $OUT)))

  ;; Writes the escape of $byte (a quote, a backslash or a C0 control) at $o; returns its end.
  (func $escape_byte (param $byte i32) (param $o i32) (result i32)
    (local $letter i32)
    (if (i32.ge_u (local.get $byte) (i32.const 0x20))
      (then
        (i32.store16 (local.get $o) (i32.or (i32.shl (local.get $byte) (i32.const 8)) (i32.const 0x5c)))
        (return (i32.add (local.get $o) (i32.const 2)))))
    (i32.store8 (local.get $o) (i32.const 0x5c))
    (local.set $letter (i32.load8_u (local.get $byte)))
    (if (local.get $letter)
      (then
        (i32.store8 offset=1 (local.get $o) (local.get $letter))
        (return (i32.add (local.get $o) (i32.const 2)))))
    ;; \u00XX, XX in lower-case hex as JSON.stringify writes it: "u00" in one store (its
    ;; fourth byte is overwritten), then the two digits.
    (i32.store offset=1 (local.get $o) (i32.const 0x00303075))
    (i32.store8 offset=4 (local.get $o) (i32.load8_u offset=32 (i32.shr_u (local.get $byte) (i32.const 4))))
    (i32.store8 offset=5 (local.get $o) (i32.load8_u offset=32 (i32.and (local.get $byte) (i32.const 15))))
    (i32.add (local.get $o) (i32.const 6)))
)
