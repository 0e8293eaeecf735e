// Test helper: feeds text to the CSV reader in byte pieces of a chosen size (to cross every boundary).
import type { ByteSource } from './csv-reader.js';

export async function* bytesOf(text: string | Buffer, pieceSize = 7): ByteSource {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let i = 0; i < b.length; i += pieceSize) yield b.subarray(i, i + pieceSize);
}
