// Tests of the binary model format: round trip, version and structure checks.
import { describe, expect, it } from 'vitest';
import { trainGbdt } from './boosting.js';
import { predictRaw } from './predictor.js';
import { deserializeGbdt, serializeGbdt } from './serialize.js';
import { mixedData, params } from './test-support/test-data.js';

describe('model serialization', () => {
  const { data, y, yClass } = mixedData(300, 21);

  it('round-trips to a model that predicts the same and serializes to the same bytes', () => {
    for (const model of [
      trainGbdt(data, y, params({ maxIter: 5 })),
      trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 4 })),
    ]) {
      const bytes = serializeGbdt(model);
      const back = deserializeGbdt(bytes);
      expect(back.featureNames).toEqual(model.featureNames);
      expect(back.featureKinds).toEqual(model.featureKinds);
      expect(Array.from(predictRaw(back, data))).toEqual(Array.from(predictRaw(model, data)));
      expect(Buffer.from(serializeGbdt(back)).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('refuses a newer format version with a message that says to upgrade', () => {
    const bytes = serializeGbdt(trainGbdt(data, y, params({ maxIter: 2 })));
    new DataView(bytes.buffer).setUint32(4, 2, true);
    expect(() => deserializeGbdt(bytes)).toThrow(/format version 2 is newer .*upgrade/);
  });

  it('refuses a node table whose children point outside their tree', () => {
    const model = trainGbdt(data, y, params({ maxIter: 2 }));
    model.nodeLeft[0] = 0;
    expect(() => deserializeGbdt(serializeGbdt(model))).toThrow(/corrupt gbdt model: node 0/);
  });

  it('refuses bytes that are not a model, or are cut short', () => {
    expect(() => deserializeGbdt(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/not a Lathe gbdt model/);
    const bytes = serializeGbdt(trainGbdt(data, y, params({ maxIter: 2 })));
    expect(() => deserializeGbdt(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
  });
});
