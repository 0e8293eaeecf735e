// Unicode-aware tokenization: NFKC + case folding, then letter/digit runs, one token per
// character for scripts written without spaces, and emoji / currency signs as tokens of their own.

/** Character classes of the scanner. */
export const SEPARATOR = 0;
/** Letters, digits and combining marks of scripts that separate words with spaces. */
export const WORD = 1;
/** Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan: no spaces between words, so each character is a token. */
export const SOLO = 2;
/** Emoji and currency signs: each is a token (they carry meaning in short texts and spam). */
export const SYMBOL = 3;

const SOLO_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const WORD_RE = /[\p{L}\p{N}\p{M}]/u;
const SYMBOL_RE = /[\p{Extended_Pictographic}\p{Sc}]/u;

function classify(ch: string): number {
  // Joiners and variation selectors glue emoji sequences; they are not tokens themselves.
  if (ch === '\u200d' || ch === '\ufe0f' || ch === '\ufe0e') return SEPARATOR;
  if (SOLO_RE.test(ch)) return SOLO;
  if (WORD_RE.test(ch)) return WORD;
  if (SYMBOL_RE.test(ch)) return SYMBOL;
  return SEPARATOR;
}

/** Class of every BMP code unit (length 65,536, Uint8 class ids); built on first use (~20 ms). */
let bmpClasses: Uint8Array | null = null;
const astralClasses = new Map<number, number>();

function bmpTable(): Uint8Array {
  if (bmpClasses) return bmpClasses;
  const table = new Uint8Array(65536);
  for (let u = 0; u < 65536; u++) {
    if (u >= 0xd800 && u <= 0xdfff) continue; // surrogates are classified as pairs
    table[u] = u < 128 ? asciiClass(u) : classify(String.fromCharCode(u));
  }
  bmpClasses = table;
  return table;
}

function asciiClass(u: number): number {
  if ((u >= 48 && u <= 57) || (u >= 65 && u <= 90) || (u >= 97 && u <= 122)) return WORD;
  return u === 36 ? SYMBOL : SEPARATOR;
}

function astralClass(codePoint: number): number {
  let c = astralClasses.get(codePoint);
  if (c === undefined) {
    c = classify(String.fromCodePoint(codePoint));
    astralClasses.set(codePoint, c);
  }
  return c;
}

/** NFKC, then case folding (lower case plus the folds lower-casing misses: final sigma, sharp s). */
export function normalizeText(text: string): string {
  let t = text.normalize('NFKC').toLowerCase();
  if (/[ςß]/.test(t)) t = t.replace(/ς/g, 'σ').replace(/ß/g, 'ss');
  return t;
}

/** Tokens of one normalized text as code-unit ranges: token k is text[starts[k], ends[k]). */
export interface TokenRanges {
  count: number;
  /** Length >= count, Int32 code-unit offsets. */
  starts: Int32Array;
  /** Length >= count, Int32 code-unit offsets (exclusive). */
  ends: Int32Array;
  /** Length >= count, Uint8 class of the token (WORD, SOLO or SYMBOL). */
  kinds: Uint8Array;
}

/** A reusable scanner: its buffers grow to the longest text seen, so scanning allocates nothing. */
export class Tokenizer {
  private ranges: TokenRanges = { count: 0, starts: new Int32Array(256), ends: new Int32Array(256), kinds: new Uint8Array(256) };

  /** Scans an already normalized text. The returned object is reused by the next call. */
  scan(text: string): TokenRanges {
    const table = bmpTable();
    const r = this.ranges;
    if (r.starts.length < text.length + 1) {
      const size = text.length + 1;
      r.starts = new Int32Array(size);
      r.ends = new Int32Array(size);
      r.kinds = new Uint8Array(size);
    }
    let count = 0;
    let wordStart = -1;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const u = text.charCodeAt(i);
      let cls: number;
      let width = 1;
      if (u >= 0xd800 && u <= 0xdbff && i + 1 < n) {
        const lo = text.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cls = astralClass(((u - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
          width = 2;
        } else cls = SEPARATOR;
      } else cls = table[u];
      if (cls === WORD) {
        if (wordStart < 0) wordStart = i;
      } else {
        if (wordStart >= 0) {
          r.starts[count] = wordStart;
          r.ends[count] = i;
          r.kinds[count++] = WORD;
          wordStart = -1;
        }
        if (cls !== SEPARATOR) {
          r.starts[count] = i;
          r.ends[count] = i + width;
          r.kinds[count++] = cls;
        }
      }
      i += width;
    }
    if (wordStart >= 0) {
      r.starts[count] = wordStart;
      r.ends[count] = n;
      r.kinds[count++] = WORD;
    }
    r.count = count;
    return r;
  }
}

/** The tokens of a raw text as strings (for tests and explanations; training uses `Tokenizer.scan`). */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  const r = new Tokenizer().scan(normalized);
  const out: string[] = [];
  for (let k = 0; k < r.count; k++) out.push(normalized.slice(r.starts[k], r.ends[k]));
  return out;
}
