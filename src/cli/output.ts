// CLI output: human-readable text by default, JSON with --json; progress bars on stderr.

export function emit(json: boolean | undefined, data: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : human() + '\n');
}

/** Formats rows as an aligned text table. */
export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** A progress bar drawn on stderr when it is a terminal (plain lines otherwise, at most one per 10%). */
export function progressBar(label: string) {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return {
    update(fraction: number, stage = '') {
      const f = Math.max(0, Math.min(1, fraction));
      if (tty) {
        const width = 30;
        const full = Math.round(f * width);
        process.stderr.write(`\r${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${stage}`.padEnd(90));
      } else if (Math.floor(f * 10) > lastTenth) {
        lastTenth = Math.floor(f * 10);
        process.stderr.write(`${label} ${(f * 100).toFixed(0)}% ${stage}\n`);
      }
    },
    done(message = '') {
      if (tty) process.stderr.write('\r' + ' '.repeat(90) + '\r');
      if (message) process.stderr.write(message + '\n');
    },
  };
}

/** Prints an error the way every command does and sets a failing exit code. */
export function fail(err: unknown): void {
  const e = err as { code?: string; message?: string; details?: unknown };
  process.stderr.write(`Error${e.code ? ` (${e.code})` : ''}: ${e.message ?? String(err)}\n`);
  const errors = (e.details as { errors?: { message: string }[] } | undefined)?.errors;
  if (Array.isArray(errors)) for (const x of errors) process.stderr.write(`  - ${x.message}\n`);
  process.exitCode = 1;
}
