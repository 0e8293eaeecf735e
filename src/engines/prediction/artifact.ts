// The prediction artifact: a versioned binary holding the encoding, the outcomes and the model(s).
//
// Layout: "LATHEPRD" (8 bytes), u32 format version, u32 header length, header (UTF-8 JSON), then
// each model part's bytes (the learner's own versioned format), lengths in the header. Little-endian.
import { deserializeGbdt, serializeGbdt, type GbdtLoss } from '../../learners/gbdt/index.js';
import { deserializeGlm, serializeGlm } from '../../learners/glm/index.js';
import { LatheError } from '../../domain/errors.js';
import type { PredictionKind } from './configuration.js';
import type { Encoding } from './encoding.js';
import type { GlmDesign } from './glm-design.js';
import { partsOf, type SingleModel, type TrainedModel } from './models.js';

export const ARTIFACT_MAGIC = 'LATHEPRD';
/**
 * Format 2 adds the encoding's 'code' columns (identifier-like codes read through their shared
 * values, leading letters and parts); format 1 files read unchanged, as they have none.
 */
export const ARTIFACT_VERSION = 2;

type PartHeader = ({ type: 'gbdt'; loss: GbdtLoss } | { type: 'glm'; design: GlmDesign }) & { bytes: number };

export interface ArtifactHeader {
  kind: PredictionKind;
  target: string;
  /** Classification outcomes in class order (binary: [negative, positive]). */
  outcomes: string[];
  positive?: string;
  encoding: Encoding;
  /** The model: one part (weight 1) or a blend of raw scores. */
  learner: { weights: number[]; parts: PartHeader[] };
  /** Numerical: quantiles of out-of-sample residuals (actual - predicted) for an 80% interval. */
  interval?: { level: number; low: number; high: number };
}

export function serializePart(p: SingleModel): Uint8Array {
  return p.type === 'gbdt' ? serializeGbdt(p.model) : serializeGlm(p.model);
}

export function writeArtifact(header: Omit<ArtifactHeader, 'learner'>, model: TrainedModel): Uint8Array {
  const { parts, weights } = partsOf(model);
  const bodies = parts.map(serializePart);
  const full: ArtifactHeader = {
    ...header,
    learner: {
      weights,
      parts: parts.map((p, k) => (p.type === 'gbdt' ? { type: 'gbdt', loss: p.loss, bytes: bodies[k].length } : { type: 'glm', design: p.design, bytes: bodies[k].length })),
    },
  };
  const head = new TextEncoder().encode(JSON.stringify(full));
  const out = new Uint8Array(16 + head.length + bodies.reduce((a, b) => a + b.length, 0));
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(ARTIFACT_MAGIC), 0);
  view.setUint32(8, ARTIFACT_VERSION, true);
  view.setUint32(12, head.length, true);
  out.set(head, 16);
  let o = 16 + head.length;
  for (const b of bodies) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

export function readArtifact(bytes: Uint8Array): { header: ArtifactHeader; model: TrainedModel } {
  const bad = (why: string): LatheError => new LatheError('INVALID_DATA', `This is not a usable prediction model file: ${why}.`);
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== ARTIFACT_MAGIC) throw bad('it does not start with the prediction model marker');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > ARTIFACT_VERSION) throw bad(`it was written by a newer release (format ${version}; this release reads up to ${ARTIFACT_VERSION})`);
  const headLen = view.getUint32(12, true);
  if (16 + headLen > bytes.length) throw bad('it is truncated');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headLen))) as ArtifactHeader;
  let o = 16 + headLen;
  const parts: SingleModel[] = header.learner.parts.map((p) => {
    const body = bytes.subarray(o, o + p.bytes);
    if (body.length !== p.bytes) throw bad('it is truncated');
    o += p.bytes;
    return p.type === 'gbdt' ? { type: 'gbdt', model: deserializeGbdt(body), loss: p.loss } : { type: 'glm', model: deserializeGlm(body), design: p.design };
  });
  const model: TrainedModel = parts.length === 1 ? parts[0] : { type: 'blend', parts, weights: header.learner.weights };
  return { header, model };
}
