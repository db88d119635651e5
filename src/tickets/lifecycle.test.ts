import { describe, expect, it } from 'vitest';
import { ACTIONS, allowedActions, STATUSES, transition } from './lifecycle.js';

describe('ticket lifecycle', () => {
  it('follows the main road new → assigned → in progress → resolved → closed', () => {
    let s = transition('new', 'assign');
    expect(s).toEqual({ ok: true, to: 'assigned' });
    s = transition('assigned', 'start');
    expect(s).toEqual({ ok: true, to: 'in_progress' });
    s = transition('in_progress', 'resolve');
    expect(s).toEqual({ ok: true, to: 'resolved' });
    expect(transition('resolved', 'close')).toEqual({ ok: true, to: 'closed' });
  });

  it('reopens a resolved or closed ticket and lets work start again', () => {
    expect(transition('resolved', 'reopen')).toEqual({ ok: true, to: 'reopened' });
    expect(transition('closed', 'reopen')).toEqual({ ok: true, to: 'reopened' });
    expect(transition('reopened', 'start')).toEqual({ ok: true, to: 'in_progress' });
  });

  it.each([
    ['new', 'close'],
    ['new', 'start'],
    ['closed', 'resolve'],
    ['closed', 'assign'],
    ['rejected', 'start'],
    ['duplicate', 'resolve'],
    ['resolved', 'start'],
    ['in_progress', 'close'],
  ] as const)('refuses %s → %s with a reason', (from, action) => {
    const r = transition(from, action);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(action);
  });

  it('has at least one way out of every open status and none out of duplicate', () => {
    for (const s of ['new', 'assigned', 'in_progress', 'reopened', 'resolved'] as const) expect(allowedActions(s).length).toBeGreaterThan(0);
    expect(allowedActions('duplicate')).toEqual([]);
  });

  it('only ever lands on a known status', () => {
    for (const s of STATUSES)
      for (const a of ACTIONS) {
        const r = transition(s, a);
        if (r.ok) expect(STATUSES).toContain(r.to);
      }
  });
});
