;; Is a body one JSON text (RFC 8259, as JSON.parse accepts it)? Compiled to
;; dist/server/json-check.wasm by scripts/build-wasm.mjs; used by server/json-check.ts,
;; which says why and holds the memory layout's other end. The input must already be
;; valid UTF-8 (the caller checks), so bytes 0x80 and up need no look here.
;;
;; One pass, no value built: a value is expected, scanned, then what follows it (a comma,
;; or the closer its container waits for). Containers' closers are kept on a stack of one
;; byte a level, after the input. The insides of strings, most of a JSON body, are skipped
;; 16 bytes at a time (WebAssembly SIMD) up to the next quote, backslash or control.
(module
  ;; Layout (bytes): 0-255 the characters that may follow a backslash other than u (1: may),
  ;; 256: the input (n bytes), then the stack (at most n bytes). The caller grows the
  ;; memory to fit: 3 pages hold a 64 KiB input and its stack.
  (memory (export "memory") 3)
  (data (i32.const 34) "\01")   ;; "
  (data (i32.const 47) "\01")   ;; /
  (data (i32.const 92) "\01")   ;; \
  (data (i32.const 98) "\01")   ;; b
  (data (i32.const 102) "\01")  ;; f
  (data (i32.const 110) "\01")  ;; n
  (data (i32.const 114) "\01")  ;; r
  (data (i32.const 116) "\01")  ;; t
  (global $IN i32 (i32.const 256))

  ;; 1 when the $n input bytes are one JSON text, else 0. Written as one loop, with the
  ;; short steps (spaces, keys) in line: V8 does not inline WebAssembly calls (Node 20),
  ;; and a call per token cost more than the tokens.
  (func (export "isJson") (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $stack i32) (local $depth i32) (local $c i32) (local $closer i32)
    (local $key i32)
    (local.set $i (global.get $IN))
    (local.set $end (i32.add (global.get $IN) (local.get $n)))
    (local.set $stack (local.get $end))
    (loop $value
      ;; A value is expected at $i; first its key, in an object ($key set).
      (if (local.get $key)
        (then
          (local.set $key (i32.const 0))
          (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)))
            (then (local.set $i (call $skip_space (local.get $i) (local.get $end)))))
          (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
          (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x22)) (then (return (i32.const 0))))
          (local.set $i (call $scan_string (local.get $i) (local.get $end)))
          (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0))))
          (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)))
            (then (local.set $i (call $skip_space (local.get $i) (local.get $end)))))
          (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
          (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 0x3a)) (then (return (i32.const 0))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      ;; Spaces (every byte that may be one is at most 0x20: only those call).
      (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)))
        (then (local.set $i (call $skip_space (local.get $i) (local.get $end)))))
      (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
      (local.set $c (i32.load8_u (local.get $i)))
      (block $after_value
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x7b)) (i32.eq (local.get $c) (i32.const 0x5b)))
          (then
            ;; { and [ are two below their closers.
            (local.set $closer (i32.add (local.get $c) (i32.const 2)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)))
              (then (local.set $i (call $skip_space (local.get $i) (local.get $end)))))
            (if (i32.and (i32.lt_u (local.get $i) (local.get $end))
                         (i32.eq (i32.load8_u (local.get $i)) (local.get $closer)))
              (then
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $after_value)))
            (i32.store8 (i32.add (local.get $stack) (local.get $depth)) (local.get $closer))
            (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
            (local.set $key (i32.eq (local.get $c) (i32.const 0x7b)))
            (br $value)))
        (if (i32.eq (local.get $c) (i32.const 0x22))
          (then (local.set $i (call $scan_string (local.get $i) (local.get $end))))
          (else (if (i32.eq (local.get $c) (i32.const 0x74))
            ;; true
            (then (local.set $i (call $scan_word (local.get $i) (local.get $end) (i32.const 0x65757274) (i32.const 4))))
            (else (if (i32.eq (local.get $c) (i32.const 0x6e))
              ;; null
              (then (local.set $i (call $scan_word (local.get $i) (local.get $end) (i32.const 0x6c6c756e) (i32.const 4))))
              (else (if (i32.eq (local.get $c) (i32.const 0x66))
                ;; false: "fals", then e
                (then
                  (local.set $i (call $scan_word (local.get $i) (local.get $end) (i32.const 0x736c6166) (i32.const 5)))
                  (if (i32.ge_s (local.get $i) (i32.const 0))
                    (then (if (i32.ne (i32.load8_u offset=4 (i32.sub (local.get $i) (i32.const 5))) (i32.const 0x65))
                      (then (return (i32.const 0)))))))
                (else (if (i32.or (i32.eq (local.get $c) (i32.const 0x2d)) (i32.lt_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 10)))
                  (then (local.set $i (call $scan_number (local.get $i) (local.get $end))))
                  (else (return (i32.const 0))))))))))))
        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const 0)))))
      ;; After a value: close what ends here, then either the text is over or a comma leads
      ;; to the next element (or key) of the innermost container.
      (loop $close
        (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.le_u (i32.load8_u (local.get $i)) (i32.const 0x20)))
          (then (local.set $i (call $skip_space (local.get $i) (local.get $end)))))
        (if (i32.eqz (local.get $depth)) (then (return (i32.eq (local.get $i) (local.get $end)))))
        (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const 0))))
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $closer (i32.load8_u (i32.sub (i32.add (local.get $stack) (local.get $depth)) (i32.const 1))))
        (if (i32.eq (local.get $c) (i32.const 0x2c))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $key (i32.eq (local.get $closer) (i32.const 0x7d)))
            (br $value)))
        (if (i32.ne (local.get $c) (local.get $closer)) (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (br $close)))
    (unreachable))

  ;; Each scanner starts at its token and returns the address just past it, or -1. No read
  ;; goes past $end.

  (func $skip_space (param $i i32) (param $end i32) (result i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $done (i32.eqz
          (i32.or (i32.or (i32.eq (local.get $c) (i32.const 0x20)) (i32.eq (local.get $c) (i32.const 0x0a)))
                  (i32.or (i32.eq (local.get $c) (i32.const 0x0d)) (i32.eq (local.get $c) (i32.const 0x09))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  (func $scan_string (param $i i32) (param $end i32) (result i32)
    (local $v v128) (local $m i32) (local $c i32) (local $h i32) (local $stop i32)
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (loop $next
      ;; Up to the next quote, backslash or control: 16 bytes at a time, then one by one.
      (block $found
        (loop $blocks
          (br_if $found (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
          (local.set $v (v128.load (local.get $i)))
          (local.set $m (i8x16.bitmask
            (v128.or
              (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))
                       (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c))))
              (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 0x20))))))
          (if (local.get $m)
            (then
              (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
              (br $found)))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $blocks)))
      (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.eq (local.get $c) (i32.const 0x22)) (then (return (local.get $i))))
      ;; Control characters must be escaped.
      (if (i32.lt_u (local.get $c) (i32.const 0x20)) (then (return (i32.const -1))))
      (if (i32.eq (local.get $c) (i32.const 0x5c))
        (then
          (if (i32.ge_u (local.get $i) (local.get $end)) (then (return (i32.const -1))))
          (local.set $c (i32.load8_u (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.eq (local.get $c) (i32.const 0x75))
            (then
              ;; \uXXXX: four hex digits, either case.
              (if (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end)) (then (return (i32.const -1))))
              (local.set $stop (i32.add (local.get $i) (i32.const 4)))
              (loop $hex
                (local.set $h (i32.or (i32.load8_u (local.get $i)) (i32.const 0x20)))
                (if (i32.eqz (i32.or (i32.lt_u (i32.sub (local.get $h) (i32.const 0x30)) (i32.const 10))
                                     (i32.lt_u (i32.sub (local.get $h) (i32.const 0x61)) (i32.const 6))))
                  (then (return (i32.const -1))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $hex (i32.lt_u (local.get $i) (local.get $stop)))))
            (else
              (if (i32.eqz (i32.load8_u (local.get $c))) (then (return (i32.const -1))))))))
      ;; A byte the blocks stopped short of (fewer than 16 left) that needs no look.
      (br $next))
    (unreachable))

  (func $scan_digits (param $i i32) (param $end i32) (result i32)
    (local $start i32)
    (local.set $start (local.get $i))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (br_if $done (i32.ge_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x30)) (i32.const 10)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (result i32) (i32.gt_u (local.get $i) (local.get $start)) (then (local.get $i)) (else (i32.const -1))))

  ;; -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  (func $scan_number (param $i i32) (param $end i32) (result i32)
    (local $c i32)
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2d)) (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
    (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x30)))
      (then (local.set $i (i32.add (local.get $i) (i32.const 1))))
      (else
        (local.set $i (call $scan_digits (local.get $i) (local.get $end)))
        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))))
    (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x2e)))
      (then
        (local.set $i (call $scan_digits (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))))
    (if (i32.and (i32.lt_u (local.get $i) (local.get $end)) (i32.eq (i32.or (i32.load8_u (local.get $i)) (i32.const 0x20)) (i32.const 0x65)))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.lt_u (local.get $i) (local.get $end))
          (then
            (local.set $c (i32.load8_u (local.get $i)))
            (if (i32.or (i32.eq (local.get $c) (i32.const 0x2b)) (i32.eq (local.get $c) (i32.const 0x2d)))
              (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
        (local.set $i (call $scan_digits (local.get $i) (local.get $end)))))
    (local.get $i))

  ;; The 4 bytes of $word (little-endian) at $i, and $length bytes there in all (false: 5,
  ;; its last byte checked by the caller).
  (func $scan_word (param $i i32) (param $end i32) (param $word i32) (param $length i32) (result i32)
    (if (i32.gt_u (i32.add (local.get $i) (local.get $length)) (local.get $end)) (then (return (i32.const -1))))
    (if (i32.ne (i32.load (local.get $i)) (local.get $word)) (then (return (i32.const -1))))
    (i32.add (local.get $i) (local.get $length)))
)
