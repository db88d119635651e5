// The VK connector (channel "vk"): the community's Callback API for wall posts, comments and messages, and
// replies with the community token. See docs/channels/vk.md.
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.js';
import type { OutboxRow } from '../../outbox/relay.js';
import type { Connector, ConnectorFactory } from '../connector.js';
import { VkClient } from './api.js';
import { CHANNEL, vkRoutes } from './callback.js';
import { deliverReply } from './reply.js';

export const vkConnector: ConnectorFactory = (ctx) => {
  const s = ctx.settings;
  if (!s.VK_ACCESS_TOKEN || !s.VK_GROUP_ID || !s.VK_CONFIRMATION) return null;
  if (!s.VK_SECRET) ctx.log.warn({ channel: CHANNEL }, 'VK_SECRET is not set: the server can be confirmed, but every event is refused until it is');
  return new VkConnector(ctx, new VkClient(s.VK_API_URL, s.VK_ACCESS_TOKEN, s.VK_API_VERSION));
};

class VkConnector implements Connector {
  readonly channel = CHANNEL;

  constructor(
    private readonly ctx: Context,
    private readonly client: VkClient,
  ) {}

  routes(app: FastifyInstance) {
    return vkRoutes(this.ctx, app);
  }

  deliver(row: OutboxRow) {
    return deliverReply(this.ctx, this.client, row);
  }
}
