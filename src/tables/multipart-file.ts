// Streams the `file` part out of a multipart/form-data upload without buffering it (browser uploads).
import { LatheError } from '../domain/errors.js';

export interface MultipartFile {
  /** Small text fields that came before the file part (e.g. name). */
  fields: Record<string, string>;
  /** The file name the browser sent, if any. */
  fileName?: string;
  /** The file's bytes, streamed. Parts after the file are ignored. */
  content: AsyncGenerator<Uint8Array>;
}

/** Text fields are form inputs, not data: refuse anything large before the file. */
const MAX_FIELD_BYTES = 64 * 1024;

/** The boundary of a multipart content type, or null when it is not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

function bad(message: string): LatheError {
  return new LatheError('INVALID_INPUT', `The multipart upload is malformed: ${message}`);
}

/** Reads parts until the one named `fieldName` and returns its content as a byte stream. */
export async function openMultipartFile(source: AsyncIterable<Uint8Array>, boundary: string, fieldName = 'file'): Promise<MultipartFile> {
  const it = source[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  let ended = false;
  async function more(): Promise<boolean> {
    if (ended) return false;
    const next = await it.next();
    if (next.done) {
      ended = true;
      return false;
    }
    buf = buf.length === 0 ? Buffer.from(next.value) : Buffer.concat([buf, next.value]);
    return true;
  }
  // Finds `needle` in buf, reading more input as needed; -1 at end of input.
  async function find(needle: Buffer, limit = Infinity): Promise<number> {
    for (;;) {
      const i = buf.indexOf(needle);
      if (i !== -1) return i;
      if (buf.length > limit) throw bad('a part header or form field is too large.');
      if (!(await more())) return -1;
    }
  }
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first boundary has no leading CRLF: pretend it had one.
  buf = Buffer.from('\r\n');
  const fields: Record<string, string> = {};
  for (;;) {
    const at = await find(delimiter, MAX_FIELD_BYTES);
    if (at === -1) throw bad(`no "${fieldName}" part was found.`);
    buf = buf.subarray(at + delimiter.length);
    while (buf.length < 2 && (await more()));
    if (buf.subarray(0, 2).toString() === '--') throw new LatheError('INVALID_INPUT', `The upload has no "${fieldName}" field with the file.`);
    const headerEnd = await find(Buffer.from('\r\n\r\n'), MAX_FIELD_BYTES);
    if (headerEnd === -1) throw bad('a part ends inside its headers.');
    const headers = buf.subarray(0, headerEnd).toString('utf8');
    buf = buf.subarray(headerEnd + 4);
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name === fieldName) {
      return { fields, fileName, content: body() };
    }
    // A small text field before the file: keep its value. Its end is found by the next loop turn.
    const end = await find(delimiter, MAX_FIELD_BYTES);
    if (end === -1) throw bad('a part is not closed by the boundary.');
    if (name) fields[name] = buf.subarray(0, end).toString('utf8');
  }

  async function* body(): AsyncGenerator<Uint8Array> {
    // Emits everything that cannot be the start of the closing delimiter; stops at the delimiter.
    for (;;) {
      const i = buf.indexOf(delimiter);
      if (i !== -1) {
        if (i > 0) yield buf.subarray(0, i);
        return;
      }
      const safe = buf.length - (delimiter.length - 1);
      if (safe > 0) {
        yield buf.subarray(0, safe);
        buf = buf.subarray(safe);
      }
      if (!(await more())) throw bad('the file part is not closed by the boundary (the upload was cut short).');
    }
  }
}
