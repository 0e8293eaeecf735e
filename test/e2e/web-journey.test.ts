// The web app in a real browser against a real server: the whole AI Builder journey for a prediction
// model and for a text classification model, saving screenshots of the main pages on the way.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ENGINES } from '../../src/engines/registry.js';
import { gone, hasAttr, hasText, hasValue, isChecked, screenshot, SHARED, startHarness, visible, type Harness } from './support.js';

const TEXT_ENGINE = BUILTIN_ENGINES.some((e) => e.type === 'text-classification');

let h: Harness;
let files: string;

/** Writes the header and a slice of a dataset's lines as a CSV file for upload. */
function slice(dataset: string, from: number, to: number, name: string): string {
  const lines = readFileSync(join(SHARED, 'datasets', dataset), 'utf8').split('\n');
  const path = join(files, name);
  // Only datasets without line breaks inside quoted cells are sliced here (titanic, sms_spam).
  writeFileSync(path, [lines[0], ...lines.slice(from, to)].join('\n') + '\n');
  return path;
}

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'lathe-e2e-files-'));
  h = await startHarness();
  // Discard draft and Delete ask for confirmation; the journey always confirms.
  h.page.on('dialog', (d) => void d.accept());
});

afterEach(async ({ task }) => {
  // The page as it was when a step failed, to see what the user would have seen.
  if (task.result?.state === 'fail') await h.page.screenshot({ path: join(tmpdir(), `lathe-e2e-failure-${task.id}.png`), fullPage: true }).catch(() => {});
});

afterAll(async () => {
  await h?.close();
  rmSync(files, { recursive: true, force: true });
});

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

async function waitForTraining(page: Page) {
  await expect.poll(() => page.getByRole('heading', { name: 'Training ended' }).isVisible(), { timeout: 150_000, interval: 250 }).toBe(true);
  const failed = await page.getByText(/Training failed/).isVisible();
  if (failed) throw new Error(await page.getByText(/Training failed/).innerText());
  await visible(page.getByText(/Training succeeded: version \d+/));
}

/** With a draft based on version 1 open, New version is refused with the reason; then the draft is discarded. */
async function refuseNewVersionThenDiscardDraft(page: Page) {
  await hasText(page.getByRole('region', { name: 'Draft' }), 'based on version 1');
  await page.getByRole('button', { name: 'New version' }).click();
  await hasAttr(page.getByRole('menuitem', { name: /From published version/ }), 'aria-disabled', 'true');
  await hasText(page.getByRole('menuitem', { name: /From published version/ }), /draft/i);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await gone(page.getByRole('region', { name: 'Draft' }));
}

/** Opens a table and appends the rows of a file: `before` is the summary shown first, `added` and `revision` what it shows after. */
async function appendRows(page: Page, table: string, file: string, texts: { before: string; added: string; revision: RegExp }) {
  await nav(page, 'Tables');
  await page.getByRole('link', { name: table }).click();
  // The page counts the rows added from the row count it shows, so let it show before appending.
  await visible(page.getByText(texts.before));
  await page.getByLabel('CSV file of rows').setInputFiles(file);
  await page.getByRole('button', { name: 'Append rows' }).click();
  await visible(page.getByText(texts.added));
  await visible(page.getByText(texts.revision));
}

describe('the web app in Chromium', () => {
  it('takes a prediction model from a CSV file through draft, training, quick test, publish, new version, retrain, rename, compare and unpublish', async () => {
    const page = h.page;
    const first = slice('titanic.csv', 1, 601, 'titanic.csv');
    const more = slice('titanic.csv', 601, 892, 'titanic-more.csv');

    // Tables: import with a preview whose inferred types can be changed.
    await page.goto('/tables');
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(first);
    await hasValue(page.getByLabel('Type of pclass'), 'number');
    await page.getByLabel('Type of pclass').selectOption('category');
    await page.getByLabel('Table name').fill('Titanic passengers');
    await screenshot(page, 'tables-import-preview');
    await page.getByRole('button', { name: 'Import' }).click();
    await visible(page.getByRole('heading', { name: 'Titanic passengers' }));
    await visible(page.getByText('600 rows · 12 columns · revision 1'));
    await hasValue(page.getByLabel('Type of pclass'), 'category');

    // Create model: the wizard saves the draft at every step; leave it after choosing the outcome.
    await nav(page, 'Models');
    await page.getByRole('link', { name: 'New model' }).click();
    await page.getByRole('radio', { name: /Prediction/ }).check();
    await page.getByLabel('Name').fill('Titanic survival');
    await page.getByRole('button', { name: 'Create model' }).click();
    await page.getByRole('radio', { name: /Titanic passengers/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel(/Outcome column/).selectOption('survived');
    await page.getByRole('button', { name: 'Next' }).click();
    await visible(page.getByRole('heading', { name: 'Choose input columns' }));
    await screenshot(page, 'create-model-inputs');
    await nav(page, 'Models');

    // Models: the list shows the draft; search finds it.
    await visible(page.getByRole('link', { name: 'Titanic survival' }));
    await page.getByLabel('Search models').fill('nothing like it');
    await visible(page.getByText(/No model matches/));
    await page.getByLabel('Search models').fill('titanic');
    await page.getByRole('link', { name: 'Titanic survival' }).click();

    // Resume draft: the wizard reopens where the choices stop, with the outcome kept.
    await visible(page.getByRole('region', { name: 'Draft' }));
    await page.getByRole('button', { name: 'Resume draft' }).click();
    await visible(page.getByRole('heading', { name: 'Choose input columns' }));
    await page.getByRole('checkbox', { name: /^split/ }).uncheck();
    // The ticket is a code: used through what its values share, or by its values when forced.
    await visible(page.getByText(/"ticket" looks like an identifier or code/));
    await isChecked(page.getByRole('checkbox', { name: 'Use its values as categories' }), false);
    // Forcing it in keeps the box (to undo it) once the checks stop naming the column.
    await page.getByRole('checkbox', { name: 'Use its values as categories' }).check();
    await isChecked(page.getByRole('checkbox', { name: /Use it/ }), true);
    await page.getByRole('checkbox', { name: /Use it/ }).uncheck();
    await isChecked(page.getByRole('checkbox', { name: 'Use its values as categories' }), false);
    await page.getByRole('button', { name: 'Next' }).click();
    await visible(page.getByRole('heading', { name: 'Filter rows' }));
    await page.getByRole('button', { name: 'Back' }).click();
    await isChecked(page.getByRole('checkbox', { name: /^split/ }), false);
    await page.getByRole('button', { name: 'Next' }).click();
    // An optional filter: only passengers whose port of embarkation is known.
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Column of condition 1').selectOption('embarked');
    await page.getByLabel('Operator of condition 1').selectOption('is not empty');
    await page.getByRole('button', { name: 'Next' }).click();
    await visible(page.getByRole('heading', { name: 'Review and train' }));
    await visible(page.getByText('survived', { exact: true }));
    await visible(page.getByText('embarked is not empty'));
    // The dataset marks its test rows in the column "split".
    await page.getByLabel(/Test rows/).selectOption('split');
    await screenshot(page, 'create-model-review');

    // Train: live progress; the page can be reloaded while training goes on.
    await page.getByRole('button', { name: 'Train' }).click();
    await page.waitForURL(/\/training$/);
    await page.reload();
    await visible(page.getByRole('progressbar', { name: 'Training progress' }));
    await screenshot(page, 'training');
    await waitForTraining(page);

    // Details: the grade, the tooltip next to Performance, the ranges, influence adding up to 100%.
    await page.getByRole('link', { name: 'See details' }).click();
    const lastTrained = page.getByRole('region', { name: /Last trained version/ });
    await visible(lastTrained.getByLabel(/^Grade [ABCD]$/));
    await visible(lastTrained.getByRole('table', { name: 'Grade ranges for this model' }));
    await lastTrained.getByRole('button', { name: 'How Performance is computed' }).hover();
    await hasText(page.getByRole('tooltip'), /accuracy/i);
    await screenshot(page, 'details');
    const shares = await lastTrained.locator('.influence-share').allInnerTexts();
    expect(shares.length).toBeGreaterThan(0);
    const total = shares.reduce((s, x) => s + Number(x.replace('%', '')), 0);
    expect(Math.abs(total - 100)).toBeLessThan(0.1 * shares.length + 0.01);
    await page.mouse.move(0, 0);

    // Quick test: a typed form with dropdowns for categories.
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Quick test' }).click();
    await page.getByLabel('sex').selectOption('female');
    await page.getByLabel('pclass').selectOption('1');
    await page.getByLabel(/^age/).fill('30');
    await page.getByRole('button', { name: 'Test' }).click();
    await visible(page.getByText(/Prediction: /));
    await visible(page.getByText(/probability \d/));
    await screenshot(page, 'quick-test');

    // Publish: the last trained version moves to the Published slot.
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Details' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const published = page.getByRole('region', { name: /Published version/ });
    await visible(published.getByText('Version 1', { exact: true }));
    await visible(page.getByRole('region', { name: /Last trained version/ }).getByText(/Empty/));

    // New version from the published one, then discard it; while it exists New version is refused with a reason.
    // With the keyboard: the menu opens on Enter with its first item focused.
    await page.getByRole('button', { name: 'New version' }).focus();
    await page.keyboard.press('Enter');
    await hasText(page.locator(':focus'), 'From published version');
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { name: 'Choose input columns' }));
    await page.getByRole('link', { name: 'Save and close' }).click();
    await refuseNewVersionThenDiscardDraft(page);

    // New rows arrive in the table; Retrain now trains the same configuration on them.
    await appendRows(page, 'Titanic passengers', more, { before: '600 rows · 12 columns · revision 1', added: 'Added 291 rows.', revision: /Revision 2 · 891 rows/ });
    await screenshot(page, 'table');
    // A table that a model uses cannot be deleted: the page says which model, and the table stays.
    await page.getByRole('button', { name: 'Delete table' }).click();
    await visible(page.getByText('Table "Titanic passengers" is used by the model "Titanic survival". Delete that model first, or keep the table.'));
    await visible(page.getByText('891 rows · 12 columns · revision 2'));
    await nav(page, 'Models');
    await page.getByRole('link', { name: 'Titanic survival' }).click();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Retrain now' }).first().click();
    // Cancel it first: nothing changes but the model says the training was cancelled.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await visible(page.getByText('Training was cancelled. The draft and the versions are unchanged.'));
    await page.getByRole('link', { name: 'See details' }).click();
    await visible(page.getByText(/The last training was cancelled/));
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Retrain now' }).first().click();
    await waitForTraining(page);
    await page.getByRole('link', { name: 'See details' }).click();
    await visible(page.getByRole('region', { name: /Last trained version/ }).getByText('Version 2', { exact: true }));
    await visible(page.getByRole('region', { name: /Published version/ }).getByText('Version 1', { exact: true }));
    await screenshot(page, 'details-both-versions');

    // Quick test can use either version when both exist.
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Quick test' }).click();
    await page.getByRole('radio', { name: /Last trained version \(version 2\)/ }).check();
    await page.getByLabel('sex').selectOption('male');
    await page.getByRole('button', { name: 'Test' }).click();
    await hasText(page.getByRole('region', { name: 'Result' }), 'Version 2');
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Details' }).click();

    // Settings: General → Name → Save.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByLabel('Name').fill('Titanic survival (passengers)');
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Saved.' }));
    await page.getByRole('button', { name: 'Close settings' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Titanic survival (passengers)' }));

    // History: compare the two versions (rows added, metric deltas).
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Version A').selectOption('1');
    await page.getByLabel('Version B').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await visible(page.getByText(/291 rows added/));
    await visible(page.getByRole('table', { name: 'Metric differences' }));
    await screenshot(page, 'history-compare');

    // A version's details view with its charts.
    await page.getByRole('link', { name: 'Version 2', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Details' }));
    await visible(page.locator('.detail-section').first());
    // The charts load on demand: wait for the ROC curve to be drawn.
    await visible(page.getByRole('img', { name: 'True positive rate against False positive rate' }));
    await visible(page.locator('.recharts-surface').first());
    await screenshot(page, 'version-charts');

    // Unpublish: with a last trained version present, the published slot empties.
    await page.getByRole('link', { name: 'Back to the details' }).click();
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await visible(page.getByRole('region', { name: /Published version/ }).getByText(/Nothing is published/));
    await hasAttr(page.getByRole('button', { name: 'Unpublish' }), 'aria-disabled', 'true');

    // Roll back: the unpublished version's files are kept, so it can be published again from History.
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'History' }).click();
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Details' }).click();
    await visible(page.getByRole('region', { name: /Published version/ }).getByText('Version 1', { exact: true }));

    // A narrow window still reads: one column, no horizontal scrolling of the page.
    await page.setViewportSize({ width: 420, height: 800 });
    await screenshot(page, 'details-narrow');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 300_000);

  // Runs as soon as the text classification engine is registered with the built-in engines.
  it.skipIf(!TEXT_ENGINE)('takes a text classification model from an import inside the wizard through draft, training, quick test, publish, new version, retrain, rename, compare and unpublish', async () => {
    const page = h.page;
    const sms = slice('sms_spam.csv', 1, 1201, 'sms-spam.csv');
    const smsMore = slice('sms_spam.csv', 1201, 1501, 'sms-spam-more.csv');
    await page.goto('/models/new');
    await page.getByRole('radio', { name: /Category classification/ }).check();
    await page.getByLabel('Name').fill('SMS spam');
    await page.getByRole('button', { name: 'Create model' }).click();

    // Choose a table (or import one): here the table is imported from the wizard.
    await page.getByRole('button', { name: 'Import a table' }).click();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles(sms);
    await hasValue(page.getByLabel('Type of text'), 'text');
    // A taken table name: the API's refusal appears next to the import, and nothing is lost.
    await page.getByLabel('Table name').fill('Titanic passengers');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await hasText(page.getByRole('alert'), /Titanic passengers/);
    await page.getByLabel('Table name').fill('SMS messages');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await isChecked(page.getByRole('radio', { name: /SMS messages/ }), true);
    await page.getByRole('button', { name: 'Next' }).click();
    // Leave the wizard once the table is chosen, before choosing the text and tags.
    await visible(page.getByRole('heading', { name: 'Choose text and tags' }));
    await nav(page, 'Models');
    await page.getByRole('link', { name: 'SMS spam' }).click();

    // Resume draft: the wizard reopens at the text and tags, with the table kept.
    await visible(page.getByRole('region', { name: 'Draft' }));
    await page.getByRole('button', { name: 'Resume draft' }).click();
    await visible(page.getByRole('heading', { name: 'Choose text and tags' }));
    await page.getByRole('button', { name: 'Back' }).click();
    await isChecked(page.getByRole('radio', { name: /SMS messages/ }), true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Text column').selectOption('text');
    await page.getByLabel('Tags column').selectOption('label');
    await page.getByLabel('Separator between tags').selectOption({ label: 'No separator (one tag per row)' });
    await page.getByRole('button', { name: 'Next' }).click();
    await visible(page.getByRole('heading', { name: 'Review and train' }));
    await page.getByRole('button', { name: 'Train' }).click();
    await waitForTraining(page);

    await page.getByRole('link', { name: 'See details' }).click();
    const lastTrained = page.getByRole('region', { name: /Last trained version/ });
    await visible(lastTrained.getByLabel(/^Score \d+ out of 100$/));
    await lastTrained.getByRole('button', { name: 'How Performance is computed' }).focus();
    await hasText(page.getByRole('tooltip'), /F1/);
    await screenshot(page, 'text-details');

    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Quick test' }).click();
    await page.getByLabel('Text', { exact: true }).fill('WINNER!! You have won a free prize. Call now to claim your cash reward!');
    await page.getByRole('button', { name: 'Test' }).click();
    await hasText(page.getByRole('table', { name: 'Tags' }), 'spam');
    await screenshot(page, 'text-quick-test');

    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Details' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await visible(page.getByRole('region', { name: /Published version/ }).getByText('Version 1', { exact: true }));
    await page.getByRole('link', { name: /See details and charts of version 1/ }).first().click();
    await visible(page.locator('.detail-section').first());
    await screenshot(page, 'text-version-charts');

    await page.goto('/models');
    await hasText(page.getByRole('row', { name: /SMS spam/ }), 'Published');
    await screenshot(page, 'models');

    // New version from the published one, then discard it; while it exists New version is refused with a reason.
    await page.getByRole('link', { name: 'SMS spam' }).click();
    await page.getByRole('button', { name: 'New version' }).click();
    await page.getByRole('menuitem', { name: 'From published version' }).click();
    // Every choice is kept from version 1, so the wizard opens on the review.
    await visible(page.getByRole('heading', { name: 'Review and train' }));
    await page.getByRole('link', { name: 'Save and close' }).click();
    await refuseNewVersionThenDiscardDraft(page);

    // New messages arrive in the table; Retrain now trains the same configuration on them.
    await appendRows(page, 'SMS messages', smsMore, { before: '1,200 rows · 3 columns · revision 1', added: 'Added 300 rows.', revision: /Revision 2 · 1,500 rows/ });
    await nav(page, 'Models');
    await page.getByRole('link', { name: 'SMS spam' }).click();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Retrain now' }).first().click();
    await waitForTraining(page);
    await page.getByRole('link', { name: 'See details' }).click();
    await visible(page.getByRole('region', { name: /Last trained version/ }).getByText('Version 2', { exact: true }));
    await visible(page.getByRole('region', { name: /Published version/ }).getByText('Version 1', { exact: true }));

    // Settings: General → Name → Save.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByLabel('Name').fill('SMS spam filter');
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Saved.' }));
    await page.getByRole('button', { name: 'Close settings' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'SMS spam filter' }));

    // History: compare the two versions (rows added, metric deltas).
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'History' }).click();
    await page.getByLabel('Version A').selectOption('1');
    await page.getByLabel('Version B').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await visible(page.getByText(/300 rows added/));
    await visible(page.getByRole('table', { name: 'Metric differences' }));
    await screenshot(page, 'text-history-compare');

    // Unpublish: with a last trained version present, the published slot empties.
    await page.getByRole('navigation', { name: 'Model' }).getByRole('link', { name: 'Details' }).click();
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await visible(page.getByRole('region', { name: /Published version/ }).getByText(/Nothing is published/));
    await hasAttr(page.getByRole('button', { name: 'Unpublish' }), 'aria-disabled', 'true');
  }, 150_000);
});
