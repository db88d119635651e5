import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.js';

const dir = mkdtempSync(join(tmpdir(), 'qala-settings-'));

describe('settings', () => {
  it('leaves every connector off without its credentials, with the real platforms as default addresses', () => {
    const s = readSettings({});
    expect([s.TELEGRAM_BOT_TOKEN, s.META_APP_SECRET, s.X_BEARER_TOKEN, s.VK_ACCESS_TOKEN, s.IMAP_URL, s.SMTP_URL]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(s.TELEGRAM_API_URL).toBe('https://api.telegram.org');
  });

  it('reads credentials from a secrets file, the environment winning over it', () => {
    const file = join(dir, 'secrets.env');
    writeFileSync(file, '# the city bot\nTELEGRAM_BOT_TOKEN = "123:abc"\n\nVK_SECRET=from-file\nX_WATCH_USER_IDS=1,2\n');
    const s = readSettings({ QALA_SECRETS_FILE: file, VK_SECRET: 'from-env' });
    expect(s.TELEGRAM_BOT_TOKEN).toBe('123:abc');
    expect(s.VK_SECRET).toBe('from-env');
    expect(s.X_WATCH_USER_IDS).toEqual(['1', '2']);
  });

  it('says which line of the secrets file is wrong, and when the file cannot be read', () => {
    const file = join(dir, 'bad.env');
    writeFileSync(file, 'TELEGRAM_BOT_TOKEN=1\nthis is not a setting\n');
    expect(() => readSettings({ QALA_SECRETS_FILE: file })).toThrow(/QALA_SECRETS_FILE: line 2 is not KEY=VALUE/);
    expect(() => readSettings({ QALA_SECRETS_FILE: join(dir, 'missing.env') })).toThrow(/cannot read .*missing\.env \(ENOENT\)/);
  });

  it('refuses a bad value with the name of the setting', () => {
    expect(() => readSettings({ TELEGRAM_API_URL: 'not a url' })).toThrow(/TELEGRAM_API_URL/);
  });
});
