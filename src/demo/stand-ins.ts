// The demo's local stand-ins of the platforms (src/demo/fakes/), started together on loopback: the settings that
// point the connectors at them, and how each feed item reaches the centre the way its platform delivers it — a
// Telegram update waiting for getUpdates, a signed Meta webhook, a VK callback, an X mention for the poller, a mail
// in the IMAP box. Ids are drawn from the clock, so a replay on the same database is heard again, not taken for a
// repeat: the platforms' cursors (Telegram offset, X since_id, IMAP UIDVALIDITY) only ever move forward.
import { createHash, randomBytes } from 'node:crypto';
import type { Settings } from '../settings.js';
import { FakeImap } from './fakes/imap.js';
import { FakeGraph, feedNotification, graphTime, mentionNotification, sendWebhook } from './fakes/meta.js';
import { FakeSmtp } from './fakes/smtp.js';
import { FakeTelegram } from './fakes/telegram.js';
import { callback, FakeVk } from './fakes/vk.js';
import { FakeX } from './fakes/x.js';
import type { DemoAccounts, FeedItem, Platform } from './feed.js';

export type ReplyListener = (platform: Platform, to: string, text: string) => void;

const secret = () => randomBytes(18).toString('base64url');
/** A stable number for a made-up author, so one resident keeps one chat (and one resident record) across replays. */
const idOf = (author: string, base: number) => base + (createHash('sha256').update(author).digest().readUInt32BE(0) % 90_000_000);
/** X ids are snowflakes: milliseconds since 2010-11-04 shifted left by 22 bits, so they grow with time. */
const snowflake = (n: number) => String(((BigInt(Date.now()) - 1_288_834_974_657n) << 22n) + BigInt(n));

export class StandIns {
  telegram: FakeTelegram | null = null;
  graph: FakeGraph | null = null;
  x: FakeX | null = null;
  vk: FakeVk | null = null;
  imap: FakeImap | null = null;
  smtp: FakeSmtp | null = null;
  /** What the connectors need to reach the stand-ins (base URLs, tokens, secrets). */
  readonly settings: Partial<Settings> = {};
  /** Ids of this run: above every id a previous replay used. */
  private readonly run = Date.now();
  private readonly meta = { token: secret(), appSecret: secret() };
  private readonly vkSecret = secret();

  private constructor(
    readonly platforms: ReadonlySet<Platform>,
    private readonly accounts: DemoAccounts,
  ) {}

  static async start(platforms: ReadonlySet<Platform>, accounts: DemoAccounts): Promise<StandIns> {
    const s = new StandIns(platforms, accounts);
    try {
      await s.startAll();
    } catch (err) {
      await s.stop();
      throw err;
    }
    return s;
  }

  private async startAll() {
    const { accounts: a, settings } = this;
    if (this.platforms.has('telegram')) {
      this.telegram = await new FakeTelegram(`${100_000 + (this.run % 900_000)}:${secret()}`, a.telegram).start();
      Object.assign(settings, { TELEGRAM_BOT_TOKEN: this.telegram.token, TELEGRAM_API_URL: this.telegram.url, TELEGRAM_POLLING: true });
      settings.TELEGRAM_WEBHOOK_SECRET = undefined;
    }
    if (this.platforms.has('instagram') || this.platforms.has('facebook')) {
      this.graph = await new FakeGraph({ ...this.meta, igUserId: a.instagram, pageId: a.facebook }).start();
      Object.assign(settings, {
        META_APP_SECRET: this.meta.appSecret,
        META_ACCESS_TOKEN: this.meta.token,
        META_VERIFY_TOKEN: secret(),
        META_GRAPH_URL: this.graph.url,
        INSTAGRAM_ACCOUNT_ID: this.platforms.has('instagram') ? a.instagram : undefined,
        FACEBOOK_PAGE_ID: this.platforms.has('facebook') ? a.facebook : undefined,
      });
    }
    if (this.platforms.has('x')) {
      this.x = await new FakeX({ bearer: secret(), userToken: secret() }).start();
      Object.assign(settings, {
        X_BEARER_TOKEN: this.x.opts.bearer,
        X_USER_TOKEN: this.x.opts.userToken,
        X_API_URL: this.x.url,
        X_WATCH_USER_IDS: [a.x],
        X_POLL_SECONDS: 2,
      });
    }
    if (this.platforms.has('vk')) {
      this.vk = await new FakeVk({ token: secret(), groupId: Number(a.vk) }).start();
      Object.assign(settings, {
        VK_ACCESS_TOKEN: this.vk.opts.token,
        VK_GROUP_ID: a.vk,
        VK_CONFIRMATION: secret().slice(0, 8),
        VK_SECRET: this.vkSecret,
        VK_API_URL: this.vk.url,
      });
    }
    if (this.platforms.has('email')) {
      const password = secret();
      this.imap = await FakeImap.start({ user: a.email, password });
      // A new UIDVALIDITY per run: the connector forgets the previous run's UIDs and reads the unread mail.
      this.imap.uidValidity = Math.floor(this.run / 1000);
      this.smtp = await FakeSmtp.start({ user: a.email, password });
      Object.assign(settings, { IMAP_URL: this.imap.url, SMTP_URL: this.smtp.url, MAIL_FROM: `Qala (demo) <${a.email}>`, MAIL_POLL_SECONDS: 2 });
    }
  }

  /** Every reply the connectors post lands here (acknowledgements, status updates). */
  onReply(listener: ReplyListener) {
    if (this.telegram) this.telegram.onReply = (to, text) => listener('telegram', to, text);
    const graph = this.graph;
    if (graph) graph.onReply = (to, text) => listener(graph.objects.has(to) ? 'facebook' : 'instagram', to, text);
    if (this.x) this.x.onReply = (to, text) => listener('x', to, text);
    if (this.vk) this.vk.onReply = (to, text) => listener('vk', to, text);
    if (this.smtp) this.smtp.onReply = (to, raw) => listener('email', to, subjectOf(raw));
  }

  /** Delivers item number `n` of the feed as its platform would; `centreUrl` receives the webhooks. */
  async inject(item: FeedItem, n: number, centreUrl: string | null): Promise<void> {
    const id = this.run + n;
    const now = Math.floor(Date.now() / 1000);
    const needUrl = () => {
      if (!centreUrl) throw new Error(`${item.platform} delivers by webhook, and this process serves no HTTP (QALA_ROLE=worker)`);
      return centreUrl;
    };
    switch (item.platform) {
      case 'telegram': {
        const fake = this.telegram as FakeTelegram;
        const chat = idOf(item.author, 100_000_000);
        const name = item.name ?? item.author;
        fake.push({
          update_id: id,
          message: {
            message_id: id,
            date: now,
            chat: { id: chat, type: 'private', first_name: name, username: item.author },
            from: { id: chat, is_bot: false, first_name: name, username: item.author, ...(item.lang ? { language_code: item.lang } : {}) },
            text: item.text,
          },
        });
        return;
      }
      case 'instagram': {
        const graph = this.graph as FakeGraph;
        const ig = this.accounts.instagram;
        const timestamp = graphTime(new Date());
        if (item.as === 'post') {
          const mediaId = `1790${id}`;
          // Instagram leaves the @ out of the caption of a post that mentions the account.
          graph.media.set(mediaId, { id: mediaId, caption: item.text, username: item.author, timestamp });
          return this.deliver(await sendWebhook(needUrl(), 'instagram', mentionNotification(ig, { media_id: mediaId }), this.meta));
        }
        const mediaId = `1790${this.run}`; // the post the residents comment under
        const commentId = `1780${id}`;
        graph.comments.set(commentId, { id: commentId, media_id: mediaId, text: item.text, username: item.author, timestamp });
        return this.deliver(
          await sendWebhook(needUrl(), 'instagram', mentionNotification(ig, { media_id: mediaId, comment_id: commentId }), this.meta),
        );
      }
      case 'facebook': {
        const graph = this.graph as FakeGraph;
        const page = this.accounts.facebook;
        const from = { id: item.author, name: item.name ?? item.author };
        if (item.as === 'post') {
          const postId = `${page}_${id}`;
          graph.objects.set(postId, { id: postId, message: item.text, from });
          const value = { item: 'status', verb: 'add', post_id: postId, from, message: item.text, created_time: now };
          return this.deliver(await sendWebhook(needUrl(), 'facebook', feedNotification(page, value), this.meta));
        }
        const postId = `${page}_${this.run}`; // the Page's post the residents comment under
        const commentId = `${this.run}_${id}`;
        graph.objects.set(postId, { id: postId });
        graph.objects.set(commentId, { id: commentId, message: item.text, from });
        const value = {
          item: 'comment',
          verb: 'add',
          post_id: postId,
          comment_id: commentId,
          parent_id: postId,
          from,
          message: item.text,
          created_time: now,
        };
        return this.deliver(await sendWebhook(needUrl(), 'facebook', feedNotification(page, value), this.meta));
      }
      case 'x': {
        const author = { id: String(idOf(item.author, 800_000_000)), username: item.author, name: item.name ?? item.author };
        (this.x as FakeX).mention(this.accounts.x, item.text, author, { id: snowflake(n) });
        return; // the connector's poller finds it
      }
      case 'vk':
        return this.deliver(await callback(needUrl(), { ...this.vkEvent(item, id, now), group_id: Number(this.accounts.vk), secret: this.vkSecret }));
      case 'email': {
        (this.imap as FakeImap).add(mail(item, id, this.accounts.email));
        return; // the connector's poller reads it
      }
    }
  }

  private vkEvent(item: FeedItem, id: number, date: number) {
    const community = -Number(this.accounts.vk);
    const from = Number(item.author);
    const event_id = randomBytes(20).toString('hex');
    if (item.as === 'post')
      return { type: 'wall_post_new', event_id, object: { id, owner_id: community, from_id: from, date, text: item.text, post_type: 'post' } };
    if (item.as === 'message')
      return {
        type: 'message_new',
        event_id,
        object: {
          message: { id, date, peer_id: from, from_id: from, text: item.text, conversation_message_id: id, out: 0 },
          client_info: { button_actions: ['text'], keyboard: true, inline_keyboard: true, lang_id: 0 },
        },
      };
    // A comment under the community's post of this run.
    const postId = Math.floor(this.run / 1000) % 1_000_000;
    return { type: 'wall_reply_new', event_id, object: { id, from_id: from, post_id: postId, owner_id: community, date, text: item.text } };
  }

  private deliver(r: { status: number; text: string }) {
    if (r.status !== 200) throw new Error(`the centre answered ${r.status}: ${r.text.slice(0, 200)}`);
  }

  async stop() {
    await Promise.allSettled([this.telegram?.stop(), this.graph?.stop(), this.x?.stop(), this.vk?.stop(), this.imap?.close(), this.smtp?.close()]);
  }
}

/** A plain-text mail from the item's author to the city's mailbox (RFC 5322, UTF-8 body, RFC 2047 words in headers). */
function mail(item: FeedItem, id: number, to: string): string {
  const word = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`);
  const domain = item.author.split('@')[1] as string;
  return [
    `From: ${item.name ? `${word(item.name)} ` : ''}<${item.author}>`,
    `To: <${to}>`,
    `Subject: ${word(item.subject ?? item.text.split('\n')[0]?.slice(0, 60) ?? '')}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <demo.${id}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    item.text,
    '',
  ].join('\r\n');
}

/** The decoded Subject of a raw mail, for the log. */
function subjectOf(raw: Buffer): string {
  const line = /^Subject:[ \t]*(.*(?:\r\n[ \t].*)*)/im.exec(raw.toString('utf8'))?.[1] ?? '';
  return line.replace(/\r\n[ \t]/g, ' ').replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}
