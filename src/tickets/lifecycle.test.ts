import { describe, expect, it } from 'vitest';
import { ACTION_ALIASES, ACTIONS, allowedActions, clockEffect, OPEN_STATUSES, STATUSES, transition } from './lifecycle.js';

describe('ticket lifecycle', () => {
  it('follows the main road new → assigned → in progress → resolved → closed', () => {
    let s = transition('new', 'assign');
    expect(s).toEqual({ ok: true, to: 'assigned' });
    s = transition('assigned', 'accept');
    expect(s).toEqual({ ok: true, to: 'in_progress' });
    s = transition('in_progress', 'resolve');
    expect(s).toEqual({ ok: true, to: 'resolved' });
    expect(transition('resolved', 'close')).toEqual({ ok: true, to: 'closed' });
  });

  it('reopens a resolved or closed ticket and lets the organisation accept it again', () => {
    expect(transition('resolved', 'reopen')).toEqual({ ok: true, to: 'reopened' });
    expect(transition('closed', 'reopen')).toEqual({ ok: true, to: 'reopened' });
    expect(transition('reopened', 'accept')).toEqual({ ok: true, to: 'in_progress' });
  });

  it('keeps the old action name start as an alias of accept', () => {
    expect(ACTION_ALIASES.start).toBe('accept');
  });

  it('waits for the resident after a question, from any status the organisation works, and resumes into work', () => {
    for (const from of ['assigned', 'in_progress', 'reopened'] as const) expect(transition(from, 'ask')).toEqual({ ok: true, to: 'waiting' });
    expect(transition('waiting', 'resume')).toEqual({ ok: true, to: 'in_progress' });
    expect(OPEN_STATUSES.has('waiting')).toBe(true);
    // Work on a waiting ticket starts again with resume, not by resolving it or asking again.
    expect(allowedActions('waiting')).toEqual(['resume', 'reject', 'mark_duplicate']);
  });

  it('hands a ticket back to the centre as new, from any status the organisation works', () => {
    for (const from of ['assigned', 'in_progress', 'reopened'] as const) expect(transition(from, 'hand_back')).toEqual({ ok: true, to: 'new' });
    expect(transition('new', 'assign')).toEqual({ ok: true, to: 'assigned' });
  });

  it('stops the clock when a ticket starts waiting and restarts it when it stops waiting', () => {
    expect(clockEffect('in_progress', 'waiting')).toBe('pause');
    expect(clockEffect('waiting', 'in_progress')).toBe('resume');
    expect(clockEffect('waiting', 'rejected')).toBe('resume');
    expect(clockEffect('assigned', 'in_progress')).toBe('none');
  });

  it.each([
    ['new', 'close'],
    ['new', 'accept'],
    ['new', 'ask'],
    ['new', 'hand_back'],
    ['closed', 'resolve'],
    ['closed', 'assign'],
    ['rejected', 'accept'],
    ['duplicate', 'resolve'],
    ['resolved', 'accept'],
    ['resolved', 'ask'],
    ['in_progress', 'close'],
    ['in_progress', 'resume'],
    ['waiting', 'ask'],
    ['waiting', 'resolve'],
    ['waiting', 'hand_back'],
  ] as const)('refuses %s → %s with a reason', (from, action) => {
    const r = transition(from, action);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(action);
  });

  it('has at least one way out of every open status and none out of duplicate', () => {
    for (const s of ['new', 'assigned', 'in_progress', 'waiting', 'reopened', 'resolved'] as const)
      expect(allowedActions(s).length).toBeGreaterThan(0);
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
