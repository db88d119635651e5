// Every channel connector Qala has; each one is on only when its settings are present (see docs/channels.md).
import type { Context } from '../context.js';
import type { Connector, ConnectorFactory } from './connector.js';
import { emailConnector } from './email/index.js';
import { facebookConnector } from './facebook/index.js';
import { instagramConnector } from './instagram/index.js';
import { telegramConnector } from './telegram/index.js';
import { vkConnector } from './vk/index.js';
import { xConnector } from './x/index.js';

const FACTORIES: ConnectorFactory[] = [
  // connectors: one line each
  emailConnector,
  telegramConnector,
  xConnector,
  vkConnector,
  instagramConnector,
  facebookConnector,
];

export function buildConnectors(ctx: Context): Connector[] {
  return FACTORIES.map((f) => f(ctx)).filter((c): c is Connector => c !== null);
}
