// Model artifact files under <dataDir>/artifacts/<modelId>/<version>.bin: written atomically
// (temp file, fsync, rename, fsync the folder) and checked against their sha256 on every load.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LatheError } from '../domain/errors.js';

export interface ArtifactInfo {
  bytes: number;
  sha256: string;
}

export interface ArtifactStore {
  /** Writes the file atomically: after a crash it is either absent or complete, never partial. */
  write(modelId: string, version: number, data: Uint8Array): Promise<ArtifactInfo>;
  /** Reads the file and verifies its checksum; a missing or damaged file is an error, never wrong bytes. */
  read(modelId: string, version: number, expectedSha256: string): Promise<Uint8Array>;
  delete(modelId: string, version: number): Promise<void>;
  deleteModel(modelId: string): Promise<void>;
  exists(modelId: string, version: number): Promise<boolean>;
  /** File names present in a model's folder, sorted (maintenance and tests). */
  list(modelId: string): Promise<string[]>;
  /** When a file of the model's folder was last written, in ms since 1970 (name as `list` returns it). */
  modifiedAt(modelId: string, name: string): Promise<number>;
  /** Removes a temp file a crashed write left (name as `list` returns it). */
  removeTemp(modelId: string, name: string): Promise<void>;
  /** Models that have a folder of files. */
  modelIds(): Promise<string[]>;
  pathOf(modelId: string, version: number): string;
}

export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Ids become folder names: refuse anything that could escape the artifacts folder. */
function safeId(modelId: string): string {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(modelId)) {
    throw new LatheError('INVALID_INPUT', `"${modelId}" is not a valid model id.`, { modelId });
  }
  return modelId;
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

export function createArtifactStore(dataDir: string): ArtifactStore {
  const root = join(dataDir, 'artifacts');
  const dirOf = (modelId: string) => join(root, safeId(modelId));
  const pathOf = (modelId: string, version: number) => join(dirOf(modelId), `${version}.bin`);

  return {
    pathOf,
    async write(modelId, version, data) {
      const dir = dirOf(modelId);
      await mkdir(dir, { recursive: true });
      const final = pathOf(modelId, version);
      const temp = join(dir, `.${version}.bin.${randomBytes(6).toString('hex')}.tmp`);
      const h = await open(temp, 'wx');
      try {
        await h.writeFile(data);
        await h.sync();
      } catch (e) {
        await h.close();
        await rm(temp, { force: true });
        throw e;
      }
      await h.close();
      try {
        await rename(temp, final);
      } catch (e) {
        await rm(temp, { force: true });
        throw e;
      }
      // The rename is durable only once the folder entry itself is on disk.
      await fsyncDir(dir);
      return { bytes: data.byteLength, sha256: sha256Hex(data) };
    },

    async read(modelId, version, expectedSha256) {
      let data: Buffer;
      try {
        data = await readFile(pathOf(modelId, version));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new LatheError('INTERNAL', `The file of version ${version} of model ${modelId} is missing from the data folder. Roll back or retrain to get a usable version.`, {
            modelId,
            version,
          });
        }
        throw e;
      }
      const actual = sha256Hex(data);
      if (actual !== expectedSha256) {
        throw new LatheError(
          'INTERNAL',
          `The file of version ${version} of model ${modelId} is damaged (its checksum does not match the one recorded at training), so it will not be used for predictions. Restore the data folder from a backup, roll back or retrain.`,
          { modelId, version, expectedSha256, actualSha256: actual },
        );
      }
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    },

    async delete(modelId, version) {
      try {
        await unlink(pathOf(modelId, version));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    },

    async deleteModel(modelId) {
      await rm(dirOf(modelId), { recursive: true, force: true });
    },

    async exists(modelId, version) {
      try {
        const h = await open(pathOf(modelId, version), 'r');
        await h.close();
        return true;
      } catch {
        return false;
      }
    },

    async modifiedAt(modelId, name) {
      if (name.includes('/') || name.includes('\\') || name.startsWith('..')) throw new LatheError('INVALID_INPUT', `${name} is not an artifact file name.`);
      return (await stat(join(dirOf(modelId), name))).mtimeMs;
    },

    async removeTemp(modelId, name) {
      if (!/^\.\d+\.bin\.[0-9a-f]+\.tmp$/.test(name)) throw new LatheError('INVALID_INPUT', `${name} is not a temporary artifact file.`);
      await rm(join(dirOf(modelId), name), { force: true });
    },

    async modelIds() {
      try {
        return (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },

    async list(modelId) {
      try {
        return (await readdir(dirOf(modelId))).sort();
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
  };
}
