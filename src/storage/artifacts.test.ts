// Artifact files: atomic writes, checksums verified on read, clear errors for damaged or missing files.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createArtifactStore, sha256Hex, type ArtifactStore } from './artifacts.js';

let dir: string;
let store: ArtifactStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-artifacts-'));
  store = createArtifactStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);

describe('artifact store', () => {
  it('writes a file atomically and reads it back after verifying its checksum', async () => {
    const info = await store.write('mdl_a', 3, bytes('model three'));
    expect(info).toEqual({ bytes: 11, sha256: sha256Hex(bytes('model three')) });
    expect(readdirSync(join(dir, 'artifacts', 'mdl_a'))).toEqual(['3.bin']);
    expect(new TextDecoder().decode(await store.read('mdl_a', 3, info.sha256))).toBe('model three');
    // Overwriting (a version number reused after a failed commit) replaces the whole file.
    await store.write('mdl_a', 3, bytes('again'));
    expect(await store.list('mdl_a')).toEqual(['3.bin']);
  });

  it('refuses a damaged file and a missing file with a message naming the version', async () => {
    const info = await store.write('mdl_a', 1, bytes('good'));
    writeFileSync(store.pathOf('mdl_a', 1), 'evil');
    await expect(store.read('mdl_a', 1, info.sha256)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('The file of version 1 of model mdl_a is damaged'),
      details: { expectedSha256: info.sha256, actualSha256: sha256Hex(bytes('evil')) },
    });
    await store.delete('mdl_a', 1);
    await expect(store.read('mdl_a', 1, info.sha256)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('is missing') });
  });

  it('refuses model ids that could leave the artifacts folder', async () => {
    await expect(store.write('../evil', 1, bytes('x'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => store.pathOf('a/b', 1)).toThrow(/not a valid model id/);
  });

  it('deletes single versions, whole models and only temp files named like its own', async () => {
    await store.write('mdl_a', 1, bytes('1'));
    await store.write('mdl_a', 2, bytes('2'));
    writeFileSync(join(dir, 'artifacts', 'mdl_a', '.3.bin.00ff.tmp'), 'partial');
    await store.removeTemp('mdl_a', '.3.bin.00ff.tmp');
    await expect(store.removeTemp('mdl_a', '1.bin')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await store.delete('mdl_a', 1);
    await store.delete('mdl_a', 1); // deleting twice is harmless
    expect(await store.list('mdl_a')).toEqual(['2.bin']);
    expect(await store.modelIds()).toEqual(['mdl_a']);
    await store.deleteModel('mdl_a');
    expect(await store.modelIds()).toEqual([]);
    expect(await store.exists('mdl_a', 2)).toBe(false);
  });
});
