// The prediction artifact: a versioned binary holding the encoding, the outcomes and the model.
//
// Layout: "LATHEPRD" (8 bytes), u32 format version, u32 header length, header (UTF-8 JSON),
// u32 model length, model bytes (the learner's own versioned format). All integers little-endian.
import { deserializeGbdt, serializeGbdt, type GbdtLoss } from '../../learners/gbdt/index.js';
import { deserializeGlm, serializeGlm } from '../../learners/glm/index.js';
import { LatheError } from '../../domain/errors.js';
import type { PredictionKind } from './configuration.js';
import type { Encoding } from './encoding.js';
import type { GlmDesign } from './glm-design.js';
import type { TrainedModel } from './models.js';

export const ARTIFACT_MAGIC = 'LATHEPRD';
export const ARTIFACT_VERSION = 1;

export interface ArtifactHeader {
  kind: PredictionKind;
  target: string;
  /** Classification outcomes in class order (binary: [negative, positive]). */
  outcomes: string[];
  positive?: string;
  encoding: Encoding;
  learner: { type: 'gbdt'; loss: GbdtLoss } | { type: 'glm'; design: GlmDesign };
  /** Numerical: quantiles of out-of-sample residuals (actual - predicted) for an 80% interval. */
  interval?: { level: number; low: number; high: number };
}

export interface Artifact {
  header: ArtifactHeader;
  model: TrainedModel;
}

export function writeArtifact(header: Omit<ArtifactHeader, 'learner'>, model: TrainedModel): Uint8Array {
  const full: ArtifactHeader = {
    ...header,
    learner: model.type === 'gbdt' ? { type: 'gbdt', loss: model.loss } : { type: 'glm', design: model.design },
  };
  const head = new TextEncoder().encode(JSON.stringify(full));
  const body = model.type === 'gbdt' ? serializeGbdt(model.model) : serializeGlm(model.model);
  const out = new Uint8Array(8 + 4 + 4 + head.length + 4 + body.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(ARTIFACT_MAGIC), 0);
  view.setUint32(8, ARTIFACT_VERSION, true);
  view.setUint32(12, head.length, true);
  out.set(head, 16);
  view.setUint32(16 + head.length, body.length, true);
  out.set(body, 20 + head.length);
  return out;
}

export function readArtifact(bytes: Uint8Array): Artifact {
  const bad = (why: string): LatheError => new LatheError('INVALID_DATA', `This is not a usable prediction model file: ${why}.`);
  if (bytes.length < 20 || new TextDecoder().decode(bytes.subarray(0, 8)) !== ARTIFACT_MAGIC) throw bad('it does not start with the prediction model marker');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version > ARTIFACT_VERSION) throw bad(`it was written by a newer release (format ${version}; this release reads up to ${ARTIFACT_VERSION})`);
  const headLen = view.getUint32(12, true);
  if (16 + headLen + 4 > bytes.length) throw bad('it is truncated');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headLen))) as ArtifactHeader;
  const bodyLen = view.getUint32(16 + headLen, true);
  const body = bytes.subarray(20 + headLen, 20 + headLen + bodyLen);
  if (body.length !== bodyLen) throw bad('it is truncated');
  const model: TrainedModel =
    header.learner.type === 'gbdt'
      ? { type: 'gbdt', model: deserializeGbdt(body), loss: header.learner.loss }
      : { type: 'glm', model: deserializeGlm(body), design: header.learner.design };
  return { header, model };
}
