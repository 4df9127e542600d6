/**
 * Secure messages over GraphQL beside REST on one app and one real store: a message sent through
 * GraphQL reads back through REST and the other way round; outsiders get NOT_FOUND as on REST.
 * Events go through the store's real outbox op; release records them instead of publishing.
 */
import { describe, expect, it } from 'vitest';
import { recordingPublisher } from '../events/testing/recording-publisher.js';
import type { GatewayDeps } from '../http/deps.js';
import { registerMessageRoutes } from '../people/messages-routes.js';
import { seedCareTeam } from '../people/testing/care-team.js';
import { createPeopleFixture } from '../people/testing/people-fixture.js';
import { registerGraphqlRoutes } from './routes.js';
import { graphqlCaller } from './testing/graphql-fixture.js';

async function setup() {
  const fx = await createPeopleFixture();
  const { publisher, events } = recordingPublisher(fx.store.outbox);
  const deps = { store: fx.store, tokens: fx.tokens, sessionKeys: fx.sessionKeys, events: publisher } as Partial<GatewayDeps> as GatewayDeps;
  registerMessageRoutes(fx.app, deps);
  registerGraphqlRoutes(fx.app, deps);
  return Object.assign(fx, { gql: graphqlCaller(fx.app), events }, await seedCareTeam(fx));
}

const SEND = 'mutation($p: ID!, $t: String!, $r: ID) { sendMessage(patient_id: $p, text: $t, recipient_id: $r) { message_id sender_id recipient_id readable text } }';
const LIST = 'query($p: ID!) { patient(id: $p) { messages { items { message_id sender_id readable text } next_cursor } } }';

describe('GraphQL secure messages, as REST', () => {
  it('a patient writes to their doctor in GraphQL, the doctor reads it over REST and answers; both read the thread in GraphQL', async () => {
    await using s = await setup();
    const sent = await s.gql(s.patient.headers, SEND, { p: s.patientId, t: 'My ankle still hurts', r: s.doctor.user.user_id });
    expect(sent.body.errors).toBeUndefined();
    expect(sent.body.data!.sendMessage).toMatchObject({ sender_id: s.patient.user.user_id, recipient_id: s.doctor.user.user_id, readable: true, text: 'My ankle still hurts' });
    expect(s.events.map((e) => [e.type, e.audience?.user_ids])).toEqual([['message.received', [s.doctor.user.user_id]]]);
    expect(JSON.stringify(s.events)).not.toContain('ankle');

    const rest = await s.call('GET', `/api/v1/patients/${s.patientId}/messages`, s.doctor.headers);
    expect(rest.body.data.items.map((m: { text: string }) => m.text)).toEqual(['My ankle still hurts']);
    expect((await s.call('POST', `/api/v1/patients/${s.patientId}/messages`, s.doctor.headers, { text: 'Rest it for a week' })).status).toBe(201);
    const thread = await s.gql(s.patient.headers, LIST, { p: s.patientId });
    expect(thread.body.data!.patient.messages.items.map((m: { text: string }) => m.text)).toEqual(['My ankle still hurts', 'Rest it for a week']);
    expect(thread.body.data!.patient.messages.items).toEqual((await s.gql(s.doctor.headers, LIST, { p: s.patientId })).body.data!.patient.messages.items);
  });

  it('an unassigned doctor gets NOT_FOUND (as REST) and nothing is stored; an empty message is VALIDATION_FAILED', async () => {
    await using s = await setup();
    const g = await s.gql(s.stranger.headers, SEND, { p: s.patientId, t: 'hello' });
    const r = await s.call('POST', `/api/v1/patients/${s.patientId}/messages`, s.stranger.headers, { text: 'hello' });
    expect(g.body.errors![0]!.extensions).toEqual({ code: r.body.error.code, status: 404, details: r.body.error.details });
    const empty = await s.gql(s.patient.headers, SEND, { p: s.patientId, t: '   ', r: s.doctor.user.user_id });
    expect(empty.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'text' } });
    expect((await s.gql(s.patient.headers, LIST, { p: s.patientId })).body.data!.patient.messages.items).toEqual([]);
    expect(s.events).toEqual([]);
  });
});
