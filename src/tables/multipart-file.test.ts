import { describe, expect, it } from 'vitest';
import { multipartBoundary, openMultipartFile } from './multipart-file.js';

async function form(parts: [string, string, string?][], piece: number) {
  const fd = new FormData();
  for (const [name, value, fileName] of parts) {
    if (fileName) fd.append(name, new Blob([value]), fileName);
    else fd.append(name, value);
  }
  const req = new Request('http://x/', { method: 'POST', body: fd });
  const body = Buffer.from(await req.arrayBuffer());
  async function* pieces() {
    for (let i = 0; i < body.length; i += piece) yield body.subarray(i, i + piece);
  }
  return { boundary: multipartBoundary(req.headers.get('content-type') ?? '')!, source: pieces() };
}

describe('openMultipartFile', () => {
  it.each([1, 3, 64, 100_000])('streams the file part and earlier fields (pieces of %i bytes)', async (piece) => {
    const csv = 'a,b\r\n1,"x\r\n--y"\r\n';
    const { boundary, source } = await form([['name', 'Sales'], ['file', csv, 'sales.csv'], ['after', 'ignored']], piece);
    const part = await openMultipartFile(source, boundary);
    const chunks: Buffer[] = [];
    for await (const c of part.content) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).toString()).toBe(csv);
    expect(part.fields).toEqual({ name: 'Sales' });
    expect(part.fileName).toBe('sales.csv');
  });

  it('refuses a form without a file field', async () => {
    const { boundary, source } = await form([['name', 'Sales']], 10);
    await expect(openMultipartFile(source, boundary)).rejects.toThrow(/no "file" field/);
  });

  it('reads the boundary only from multipart content types', () => {
    expect(multipartBoundary('multipart/form-data; boundary="abc"')).toBe('abc');
    expect(multipartBoundary('text/csv')).toBeNull();
  });
});
