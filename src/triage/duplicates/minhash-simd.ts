// The MinHash inner loop — for each permutation i, min over the shingles x of (a_i·x + b_i) mod 2^32, unsigned —
// as a tiny WebAssembly module using 128-bit SIMD: four permutations per instruction, sixteen per pass over the
// shingles. It computes exactly what the scalar loop in minhash.ts computes (wrapping 32-bit multiply and add,
// unsigned minimum), several times faster; minhash.ts falls back to that loop where SIMD is not available.
//
// The module is assembled here from named instructions rather than shipped as an opaque blob, so a reader can
// check it against this listing (WebAssembly text format):
//
//   (func (export "minhash") (param $a i32) (param $b i32) (param $out i32) (param $h i32) (param $n i32) (param $k i32)
//     ;; $a, $b, $out: $k permutations' parameters and minima (i32, $k a multiple of 16); $h: $n shingle hashes
//     (local $end i32) (local $p i32) (local $x v128) (local $a0..$a3 v128) (local $b0..$b3 v128) (local $m0..$m3 v128)
//     $end = $h + 4·$n
//     loop over 16 permutations at a time:
//       $a0..$a3 = v128.load $a (+0, +16, +32, +48);  $b0..$b3 likewise;  $m0..$m3 = all ones
//       for $p from $h to $end step 4:
//         $x = v128.load32_splat $p
//         $mj = i32x4.min_u($mj, i32x4.add(i32x4.mul($x, $aj), $bj))   for j = 0..3
//       v128.store $out (+0, +16, +32, +48) $m0..$m3
//       $a += 64; $b += 64; $out += 64; $k -= 16
//     while $k > 0

const I32 = 0x7f;
const V128 = 0x7b;

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'utf8')];

// Instructions (https://webassembly.github.io/spec/core/binary/instructions.html).
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const i32const = (v: number) => [0x41, ...sleb(v)];
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_SHL = 0x74;
const I32_LT_U = 0x49;
const I32_GT_S = 0x4a;
const simd = (op: number) => [0xfd, ...uleb(op)];
const memarg = (alignLog2: number, offset: number) => [alignLog2, ...uleb(offset)];
const v128load = (offset: number) => [...simd(0), ...memarg(4, offset)];
const v128store = (offset: number) => [...simd(11), ...memarg(4, offset)];
const LOAD32_SPLAT = [...simd(9), ...memarg(2, 0)];
const ALL_ONES = [...simd(12), ...new Array(16).fill(0xff)];
const I32X4_ADD = simd(174);
const I32X4_MUL = simd(181);
const I32X4_MIN_U = simd(183);
const BLOCK = 0x02;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;

// Parameters 0–5, then locals: $end 6, $p 7, $x 8, $a0..3 9–12, $b0..3 13–16, $m0..3 17–20.
const [A, B, OUT, H, N, K, END_, P, X] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const Aj = (j: number) => 9 + j;
const Bj = (j: number) => 13 + j;
const Mj = (j: number) => 17 + j;
const FOUR = [0, 1, 2, 3];

function body(): number[] {
  const code: number[] = [];
  code.push(...get(H), ...get(N), ...i32const(2), I32_SHL, I32_ADD, ...set(END_));
  code.push(LOOP, VOID);
  for (const j of FOUR) code.push(...get(A), ...v128load(16 * j), ...set(Aj(j)));
  for (const j of FOUR) code.push(...get(B), ...v128load(16 * j), ...set(Bj(j)));
  for (const j of FOUR) code.push(...ALL_ONES, ...set(Mj(j)));
  code.push(...get(H), ...set(P));
  // No shingles: the minima stay all ones (EMPTY), as in the scalar loop.
  code.push(BLOCK, VOID, ...get(P), ...get(END_), I32_LT_U, 0x45 /* i32.eqz */, BR_IF, 0);
  code.push(LOOP, VOID, ...get(P), ...LOAD32_SPLAT, ...set(X));
  for (const j of FOUR) code.push(...get(Mj(j)), ...get(X), ...get(Aj(j)), ...I32X4_MUL, ...get(Bj(j)), ...I32X4_ADD, ...I32X4_MIN_U, ...set(Mj(j)));
  code.push(...get(P), ...i32const(4), I32_ADD, ...set(P), ...get(P), ...get(END_), I32_LT_U, BR_IF, 0, END); // inner loop
  code.push(END); // block
  for (const j of FOUR) code.push(...get(OUT), ...get(Mj(j)), ...v128store(16 * j));
  for (const p of [A, B, OUT]) code.push(...get(p), ...i32const(64), I32_ADD, ...set(p));
  code.push(...get(K), ...i32const(16), I32_SUB, ...set(K), ...get(K), ...i32const(0), I32_GT_S, BR_IF, 0, END); // outer loop
  code.push(END); // function
  const locals = vec([
    [2, I32],
    [13, V128],
  ]);
  return [...locals, ...code];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const fn = body();
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec(new Array(6).fill([I32])), 0]])), // type: (i32 × 6) → ()
    ...section(3, vec([[0]])), // function 0 has type 0
    ...section(5, vec([[0x00, 1]])), // memory: at least one page, grown by the caller
    ...section(
      7,
      vec([
        [...name('minhash'), 0x00, 0],
        [...name('memory'), 0x02, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(fn.length), ...fn]])),
  ]);
}

/** The permutations a MinHasher runs, bound to one WebAssembly instance and its memory. */
export interface SimdMinHash {
  /** Room for `n` shingle hashes; write them from index 0, then call `run(n, out)`. The array may move when it grows. */
  hashes(n: number): Uint32Array;
  /** Writes the minimum of each permutation over the first `n` hashes to `out` (numPerm values). */
  run(n: number, out: Uint32Array): void;
}

let compiled: WebAssembly.Module | null | undefined;

function compile(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = moduleBytes();
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/** The SIMD permutations for parameters `a`, `b` (odd multipliers, offsets), or null where SIMD is unavailable. */
export function simdMinHash(a: Int32Array, b: Int32Array): SimdMinHash | null {
  const mod = compile();
  if (!mod) return null;
  const instance = new WebAssembly.Instance(mod);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const minhash = instance.exports.minhash as (a: number, b: number, out: number, h: number, n: number, k: number) => void;
  const k = a.length;
  const padded = Math.ceil(k / 16) * 16; // the extra permutations are computed and not read
  const aAt = 0;
  const bAt = 4 * padded;
  const outAt = 8 * padded;
  const hAt = 12 * padded;
  new Int32Array(memory.buffer, aAt, k).set(a);
  new Int32Array(memory.buffer, bAt, k).set(b);
  let hashes = new Uint32Array(memory.buffer, hAt);
  let mins = new Uint32Array(memory.buffer, outAt, k);
  return {
    hashes(n) {
      if (n > hashes.length) {
        memory.grow(Math.ceil((hAt + 4 * n - memory.buffer.byteLength) / 65536));
        hashes = new Uint32Array(memory.buffer, hAt);
        mins = new Uint32Array(memory.buffer, outAt, k);
      }
      return hashes;
    },
    run(n, out) {
      minhash(aAt, bAt, outAt, hAt, n, padded);
      out.set(mins);
    },
  };
}
