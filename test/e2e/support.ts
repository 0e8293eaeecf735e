// Browser-test support: a fresh build of the web app, a real server on a fresh data folder, Debian's Chromium.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openLathe, type Lathe } from '../../src/services/lathe.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = join(ROOT, '..', 'shared');
/** Screenshots go to docs/screenshots/ when LATHE_SCREENSHOTS=1 (to refresh the README's), else to a temp folder. */
export const SCREENSHOTS = process.env.LATHE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(tmpdir(), 'lathe-e2e-screenshots');

/** The flags DEVELOPERS.md gives for Debian's Chromium in tests. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds web/dist unless it is newer than every source of the web app and of the client it bundles. */
export async function ensureWebBuilt(): Promise<void> {
  const built = join(ROOT, 'web', 'dist', 'index.html');
  const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'src/client', 'src/contract'].map((p) => join(ROOT, p));
  if (existsSync(built) && statSync(built).mtimeMs > Math.max(...sources.map(newestMtime))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

export interface Harness {
  lathe: Lathe;
  server: RunningServer;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A server on a fresh data folder and a browser with a fresh profile, sized 1280x800. */
export async function startHarness(): Promise<Harness> {
  await ensureWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'lathe-e2e-data-'));
  const profile = mkdtempSync(join(tmpdir(), 'lathe-e2e-profile-'));
  const lathe = await openLathe({ dataDir, maxConcurrentRuns: 1 });
  const server = await startServer(lathe, { port: 0, host: '127.0.0.1' });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    baseURL: server.url,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  // A page error is a bug: fail loudly instead of letting the UI limp on.
  const pageErrors: Error[] = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  return {
    lathe,
    server,
    context,
    page,
    async close() {
      await context.close();
      await server.close();
      await lathe.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
      if (pageErrors.length > 0) throw new Error(`The page threw: ${pageErrors.map((e) => e.message).join('; ')}`);
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

// Waiting assertions on locators (playwright-core ships no `expect`; these poll like Playwright's do).
const WAIT = { timeout: 15_000, interval: 100 };

export const visible = (l: Locator) => l.waitFor({ state: 'visible' });
export const gone = (l: Locator) => l.waitFor({ state: 'detached' });
export async function hasText(l: Locator, text: string | RegExp): Promise<void> {
  const re = typeof text === 'string' ? new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : text;
  await expect.poll(() => l.innerText(), WAIT).toMatch(re);
}
export async function hasValue(l: Locator, value: string): Promise<void> {
  await expect.poll(() => l.inputValue(), WAIT).toBe(value);
}
export async function hasAttr(l: Locator, name: string, value: string): Promise<void> {
  await expect.poll(() => l.getAttribute(name), WAIT).toBe(value);
}
export async function isChecked(l: Locator, checked: boolean): Promise<void> {
  await expect.poll(() => l.isChecked(), WAIT).toBe(checked);
}
