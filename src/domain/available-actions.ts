// Which actions the rules allow in a state, and the refusal message when they don't: the web app
// disables buttons with this explanation. Derived from `decide` itself, so it cannot drift.
import { isLatheError } from './errors.js';
import { decide, type Action, type Context } from './lifecycle.js';
import type { ModelState } from './model-state.js';

export interface Availability {
  allowed: boolean;
  reason?: string;
}

/** Representative attempts per action; an action is allowed when any of its attempts is. */
function attempts(state: ModelState, draftErrors: { message: string }[]): Record<string, Action[]> {
  return {
    editDraft: [{ type: 'editDraft', configuration: state.draft?.configuration ?? {} }],
    newVersion: [{ type: 'newVersion', from: 'published' }, { type: 'newVersion', from: 'lastTrained' }],
    resumeDraft: [{ type: 'resumeDraft' }],
    discardDraft: [{ type: 'discardDraft' }],
    train: [{ type: 'train', runId: '?', draftErrors }],
    retrain: [{ type: 'retrain', runId: '?' }],
    cancel: [{ type: 'cancel' }],
    publish: [{ type: 'publish' }],
    unpublish: [{ type: 'unpublish' }],
    rollback: state.retained.length ? [{ type: 'rollback', version: state.retained[0].version }] : [{ type: 'rollback', version: -1 }],
    rename: [{ type: 'rename' }],
    delete: [{ type: 'delete' }],
    quickTest: [{ type: 'quickTest' }],
    predict: [{ type: 'predict' }],
  };
}

/** `draftErrors`: the engine's check of the draft, so Train is refused with the same message as training would be. */
export function availableActions(state: ModelState, ctx: Context, draftErrors: { message: string }[] = []): Record<string, Availability> {
  const out: Record<string, Availability> = {};
  for (const [name, tries] of Object.entries(attempts(state, draftErrors))) {
    let reason: string | undefined;
    let allowed = false;
    for (const action of tries) {
      try {
        decide(state, action, ctx);
        allowed = true;
        break;
      } catch (e) {
        if (!isLatheError(e)) throw e;
        reason ??= e.message;
      }
    }
    out[name] = allowed ? { allowed } : { allowed, reason };
  }
  if (out.rollback && !out.rollback.allowed) out.rollback.reason = 'There is no previously published version to roll back to.';
  return out;
}
