// The demo feed file: the Astana feed is valid and varied, and a feed that could name real people or mix up the
// platforms' ways is refused at start with the item and the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../settings.js';
import { loadDemoFeed, PLATFORMS, realPlatforms } from './feed.js';

describe('demo feed file', () => {
  it('the Astana feed spans about two minutes, every platform, and the story the demo tells', () => {
    const feed = loadDemoFeed('config/cities/astana');
    expect(feed).not.toBeNull();
    const items = feed?.items ?? [];
    expect(items.length).toBeGreaterThanOrEqual(40);
    expect(items.length).toBeLessThanOrEqual(60);
    expect(items.at(-1)?.at).toBeGreaterThan(100);
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort((a, b) => a - b));
    expect(new Set(items.map((i) => i.platform))).toEqual(new Set(PLATFORMS));
    const burst = items.filter((i) => i.story === 'burst-pipe');
    expect(new Set(burst.map((i) => i.platform)).size).toBe(PLATFORMS.length);
    for (const story of ['thanks', 'noise', 'spam', 'danger', 'suggestion'])
      expect(
        items.some((i) => i.story === story),
        story,
      ).toBe(true);
    // Latin-script Kazakh is part of it.
    expect(items.some((i) => /\b(joq|uide|rahmet|koshesinde)\b/i.test(i.text))).toBe(true);
  });

  it('refuses real-looking senders and forms a platform does not have, naming the item', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qala-feed-'));
    try {
      writeFileSync(
        join(dir, 'demo-feed.yaml'),
        [
          'accounts: { telegram: city_bot, instagram: "1", facebook: "2", x: "3", vk: "4", email: city@example.org }',
          'items:',
          '  - { at: 1, platform: email, author: someone@gmail.com, story: spam, text: hi }',
          '  - { at: 2, platform: x, as: comment, author: demo_user, story: spam, text: hi }',
          '  - { at: 3, platform: vk, author: "5", story: spam, text: hi, subject: nope }',
        ].join('\n'),
      );
      expect(() => loadDemoFeed(dir)).toThrow(/items\.0\.author: email author must be an e-mail address at example\.com/);
      expect(() => loadDemoFeed(dir)).toThrow(/items\.1\.as: x items are post/);
      expect(() => loadDemoFeed(dir)).toThrow(/items\.2\.subject: only e-mail has a subject/);
      expect(loadDemoFeed(tmpdir())).toBeNull(); // a city without a feed has none
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never plays a platform the deployment has real credentials for', () => {
    const real = realPlatforms(
      readSettings({ TELEGRAM_BOT_TOKEN: '1:real', META_ACCESS_TOKEN: 'real', IMAP_URL: 'imaps://u:p@mail.example.org/INBOX' }),
    );
    expect([...real].sort()).toEqual(['email', 'facebook', 'instagram', 'telegram']);
  });
});
