// The binary format of a GbdtModel: little-endian, versioned, deterministic bytes.
import { GBDT_FORMAT_VERSION } from './predictor.js';
import type { GbdtModel } from './types.js';

/** "LGBT": Lathe gradient-boosted trees. */
const MAGIC = [0x4c, 0x47, 0x42, 0x54];

/**
 * Layout (version 1): magic (4 bytes), u32 version, u32 nOutputs, u32 nFeatures, u32 nTrees,
 * u32 bestIteration, u32 nNodes, u32 nBitsetWords, per feature (u32 name byte length, UTF-8
 * name, u8 kind 0 numeric / 1 categorical), f64[nOutputs] baseScore, i32[nTrees + 1] treeOffsets,
 * then per node arrays: i32 feature, f64 threshold, u8 missingLeft, i32 left, i32 right,
 * f64 value, f64 cover, f64 gain, i32 catStart, i32 catWords; then u32[nBitsetWords] bitsets.
 */
export function serializeGbdt(model: GbdtModel): Uint8Array {
  const enc = new TextEncoder();
  const names = model.featureNames.map((s) => enc.encode(s));
  const nNodes = model.nodeFeature.length;
  const nWords = model.catBitsets.length;
  let size = 4 + 7 * 4;
  for (const b of names) size += 4 + b.length + 1;
  size += 8 * model.nOutputs + 4 * (model.nTrees + 1);
  size += nNodes * (4 + 8 + 1 + 4 + 4 + 8 + 8 + 8 + 4 + 4) + 4 * nWords;
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  let o = 0;
  for (const m of MAGIC) bytes[o++] = m;
  const u32 = (v: number): void => {
    dv.setUint32(o, v, true);
    o += 4;
  };
  const i32 = (v: number): void => {
    dv.setInt32(o, v, true);
    o += 4;
  };
  const f64 = (v: number): void => {
    dv.setFloat64(o, v, true);
    o += 8;
  };
  u32(model.formatVersion);
  u32(model.nOutputs);
  u32(model.nFeatures);
  u32(model.nTrees);
  u32(model.bestIteration);
  u32(nNodes);
  u32(nWords);
  for (let f = 0; f < model.nFeatures; f++) {
    u32(names[f].length);
    bytes.set(names[f], o);
    o += names[f].length;
    bytes[o++] = model.featureKinds[f] === 'categorical' ? 1 : 0;
  }
  for (let c = 0; c < model.nOutputs; c++) f64(model.baseScore[c]);
  for (let t = 0; t <= model.nTrees; t++) i32(model.treeOffsets[t]);
  for (let n = 0; n < nNodes; n++) i32(model.nodeFeature[n]);
  for (let n = 0; n < nNodes; n++) f64(model.nodeThreshold[n]);
  for (let n = 0; n < nNodes; n++) bytes[o++] = model.nodeMissingLeft[n];
  for (let n = 0; n < nNodes; n++) i32(model.nodeLeft[n]);
  for (let n = 0; n < nNodes; n++) i32(model.nodeRight[n]);
  for (let n = 0; n < nNodes; n++) f64(model.nodeValue[n]);
  for (let n = 0; n < nNodes; n++) f64(model.nodeCover[n]);
  for (let n = 0; n < nNodes; n++) f64(model.nodeGain[n]);
  for (let n = 0; n < nNodes; n++) i32(model.nodeCatStart[n]);
  for (let n = 0; n < nNodes; n++) i32(model.nodeCatWords[n]);
  for (let w = 0; w < nWords; w++) u32(model.catBitsets[w]);
  return bytes;
}

export function deserializeGbdt(bytes: Uint8Array): GbdtModel {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error('not a Lathe gbdt model (bad magic bytes)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 4;
  const need = (n: number): void => {
    if (o + n > bytes.length) throw new Error('truncated gbdt model');
  };
  const u32 = (): number => {
    need(4);
    const v = dv.getUint32(o, true);
    o += 4;
    return v;
  };
  const i32 = (): number => {
    need(4);
    const v = dv.getInt32(o, true);
    o += 4;
    return v;
  };
  const f64 = (): number => {
    need(8);
    const v = dv.getFloat64(o, true);
    o += 8;
    return v;
  };
  const version = u32();
  if (version > GBDT_FORMAT_VERSION) {
    throw new Error(`gbdt model format version ${version} is newer than this release supports (up to ${GBDT_FORMAT_VERSION}): upgrade Lathe to load it`);
  }
  if (version < 1) throw new Error(`unknown gbdt model format version ${version}`);
  const nOutputs = u32();
  const nFeatures = u32();
  const nTrees = u32();
  const bestIteration = u32();
  const nNodes = u32();
  const nWords = u32();
  const dec = new TextDecoder();
  const featureNames: string[] = [];
  const featureKinds: ('numeric' | 'categorical')[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const len = u32();
    need(len + 1);
    featureNames.push(dec.decode(bytes.subarray(o, o + len)));
    o += len;
    featureKinds.push(bytes[o++] === 1 ? 'categorical' : 'numeric');
  }
  const baseScore = Float64Array.from({ length: nOutputs }, f64);
  const treeOffsets = Int32Array.from({ length: nTrees + 1 }, i32);
  const nodeFeature = Int32Array.from({ length: nNodes }, i32);
  const nodeThreshold = Float64Array.from({ length: nNodes }, f64);
  need(nNodes);
  const nodeMissingLeft = bytes.slice(o, o + nNodes);
  o += nNodes;
  const nodeLeft = Int32Array.from({ length: nNodes }, i32);
  const nodeRight = Int32Array.from({ length: nNodes }, i32);
  const nodeValue = Float64Array.from({ length: nNodes }, f64);
  const nodeCover = Float64Array.from({ length: nNodes }, f64);
  const nodeGain = Float64Array.from({ length: nNodes }, f64);
  const nodeCatStart = Int32Array.from({ length: nNodes }, i32);
  const nodeCatWords = Int32Array.from({ length: nNodes }, i32);
  const catBitsets = Uint32Array.from({ length: nWords }, u32);
  if (o !== bytes.length) throw new Error(`gbdt model has ${bytes.length - o} unexpected trailing bytes`);
  checkStructure(nFeatures, nTrees, treeOffsets, nodeFeature, nodeLeft, nodeRight, nodeCatStart, nodeCatWords, nWords);
  return {
    formatVersion: version,
    nOutputs,
    nFeatures,
    featureNames,
    featureKinds,
    baseScore,
    nTrees,
    bestIteration,
    treeOffsets,
    nodeFeature,
    nodeThreshold,
    nodeMissingLeft,
    nodeLeft,
    nodeRight,
    nodeValue,
    nodeCover,
    nodeGain,
    nodeCatStart,
    nodeCatWords,
    catBitsets,
  };
}

/**
 * Rejects node tables that would make prediction loop or read out of bounds: every child lies
 * after its parent inside the same tree, features exist, bitsets fit.
 */
function checkStructure(
  nFeatures: number,
  nTrees: number,
  treeOffsets: Int32Array,
  feature: Int32Array,
  left: Int32Array,
  right: Int32Array,
  catStart: Int32Array,
  catWords: Int32Array,
  nWords: number,
): void {
  const bad = (msg: string): never => {
    throw new Error(`corrupt gbdt model: ${msg}`);
  };
  if (treeOffsets[0] !== 0 || treeOffsets[nTrees] !== feature.length) bad('tree offsets do not cover the node table');
  for (let t = 0; t < nTrees; t++) {
    const a = treeOffsets[t];
    const b = treeOffsets[t + 1];
    if (!(b > a)) bad(`tree ${t} has no nodes`);
    for (let n = a; n < b; n++) {
      const f = feature[n];
      if (f < -1 || f >= nFeatures) bad(`node ${n} splits on unknown feature ${f}`);
      if (f < 0) continue;
      if (!(left[n] > n && left[n] < b && right[n] > n && right[n] < b)) bad(`node ${n} has children outside its tree`);
      if (catStart[n] >= 0 && (catWords[n] < 1 || catStart[n] + catWords[n] > nWords)) bad(`node ${n} has a category set outside the bitsets`);
    }
  }
}
