// What the X tests share: the fake's tokens, the watched account, residents, and look-ups of stored tweets.
import type { FakeUser } from '../../src/demo/fakes/x.js';
import type { TestCentre } from '../centre.js';

export const BEARER = 'test-app-bearer';
export const USER_TOKEN = 'test-user-context-token';
export const AKIM = '1500000000000000001';
export const aigul: FakeUser = { id: '700000001', username: 'aigul_astana', name: 'Айгуль' };
export const nurlan: FakeUser = { id: '700000002', username: 'nurlan_kz', name: 'Нұрлан' };
export const john: FakeUser = { id: '700000003', username: 'john_in_astana', name: 'John' };

/** The inbound messages stored for a tweet id. */
export const inbound = (centre: TestCentre, externalId: string) =>
  centre.ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('channel', '=', 'x')
    .where('direction', '=', 'in')
    .where('external_id', '=', externalId)
    .execute();

/** The tickets opened by a tweet. */
export const ticketsFor = (centre: TestCentre, externalId: string) =>
  centre.ctx.db
    .selectFrom('tickets as t')
    .innerJoin('messages as m', 'm.id', 't.source_message_id')
    .select(['t.id', 't.number', 't.status', 't.language'])
    .where('m.channel', '=', 'x')
    .where('m.external_id', '=', externalId)
    .execute();
