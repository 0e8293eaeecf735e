// The saved text model: "LTXC", a format version, a JSON header, then the typed arrays, 8-byte aligned.
import type { FeatureSettings } from './features.js';
import type { TextModel } from './model.js';

const MAGIC = 0x4358544c; // "LTXC" read as a little-endian uint32
/** Bump when the layout changes; `readTextModel` keeps reading every older version. */
export const TEXT_MODEL_FORMAT = 1;

interface Header {
  tags: string[];
  singleLabel: boolean;
  scorers: number;
  /** null for multi-label models (JSON has no NaN). */
  softmaxScale: number | null;
  features: FeatureSettings;
  info: Record<string, unknown>;
  /** Element counts of the arrays that follow, in order. */
  features_count: number;
  weights: number;
}

type Typed = Int32Array | Float32Array | Float64Array | Uint16Array;

function arraysOf(m: TextModel): Typed[] {
  return [m.vocabulary.buckets, m.vocabulary.idf, m.weightPtr, m.weightScorer, m.weightValue, m.intercepts, m.platt, m.thresholds];
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Serializes a model. Same model, same bytes (no clock, no random padding). */
export function writeTextModel(model: TextModel): Uint8Array {
  const header: Header = {
    tags: model.tags,
    singleLabel: model.singleLabel,
    scorers: model.scorers,
    softmaxScale: Number.isNaN(model.softmaxScale) ? null : model.softmaxScale,
    features: model.vocabulary.settings,
    info: model.info,
    features_count: model.vocabulary.buckets.length,
    weights: model.weightValue.length,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const arrays = arraysOf(model);
  let size = align8(12 + json.length);
  for (const a of arrays) size = align8(size + a.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, TEXT_MODEL_FORMAT, true);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let offset = align8(12 + json.length);
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset = align8(offset + a.byteLength);
  }
  return out;
}

/** Reads a model written by `writeTextModel` (any format version up to TEXT_MODEL_FORMAT). */
export function readTextModel(bytes: Uint8Array): TextModel {
  if (bytes.length < 12) throw new Error('Not a Lathe text model: too short.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('Not a Lathe text model: wrong magic number.');
  const version = view.getUint32(4, true);
  if (version < 1 || version > TEXT_MODEL_FORMAT) throw new Error(`Text model format ${version} is newer than this release understands (${TEXT_MODEL_FORMAT}).`);
  const jsonLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as Header;
  let offset = align8(12 + jsonLength);
  // Copies (slice) rather than views: the caller's buffer may not be aligned for every element type.
  const take = <A extends Typed>(make: (buffer: ArrayBuffer) => A, bytesPerElement: number, count: number): A => {
    const byteLength = bytesPerElement * count;
    if (offset + byteLength > bytes.length) throw new Error('Text model is truncated.');
    const copy = bytes.slice(offset, offset + byteLength);
    offset = align8(offset + byteLength);
    return make(copy.buffer);
  };
  const d = header.features_count;
  const T = header.tags.length;
  const buckets = take((b) => new Int32Array(b), 4, d);
  const idf = take((b) => new Float32Array(b), 4, d);
  const weightPtr = take((b) => new Int32Array(b), 4, d + 1);
  const weightScorer = take((b) => new Uint16Array(b), 2, header.weights);
  const weightValue = take((b) => new Float32Array(b), 4, header.weights);
  const intercepts = take((b) => new Float64Array(b), 8, header.scorers);
  const platt = take((b) => new Float64Array(b), 8, 2 * T);
  const thresholds = take((b) => new Float64Array(b), 8, T);
  return {
    vocabulary: { settings: header.features, buckets, idf },
    tags: header.tags,
    singleLabel: header.singleLabel,
    scorers: header.scorers,
    weightPtr,
    weightScorer,
    weightValue,
    intercepts,
    platt,
    thresholds,
    softmaxScale: header.softmaxScale ?? Number.NaN,
    info: header.info,
  };
}
