import { describe, expect, it } from 'vitest';
import { fileSizeProblem, MAX_READ_BYTES, prepareImportText } from '../../renderer/src/profiles/import-text';
import { MAX_IMPORT_BYTES } from '../../shared/profiles/connection-profile';
import { commandSchemas } from '../../shared/ipc/ipc-contract';
import { parseProfileImport } from '../../shared/profiles/profile-transfer';

/** An MQTTX connection record as its "Export data" writes it, with a message history. */
function mqttxConnection(name: string, messages: number, payloadSize = 200): Record<string, unknown> {
  return {
    id: `id-${name}`,
    name,
    clientId: `mqttx_${name}`,
    host: 'broker.example.com',
    port: 1883,
    protocol: 'mqtt',
    mqttVersion: '5.0',
    clean: true,
    subscriptions: [{ topic: 'sensors/#', qos: 1 }],
    client: { connected: false, options: { clientId: `mqttx_${name}` } },
    messages: Array.from({ length: messages }, (_, i) => ({ id: `m${i}`, topic: 'sensors/a', payload: 'x'.repeat(payloadSize), qos: 0, retain: false, out: false, createAt: '2024-05-01 10:00:00:000' })),
  };
}

function prepared(text: string): { text: string; historiesDropped: number; format: string } {
  const result = prepareImportText(text);
  if (!result.ok) throw new Error(`Refused: ${result.message}`);
  return result;
}

describe('prepareImportText', () => {
  it('drops the message histories and runtime client of an MQTTX export that is otherwise over the cap, keeping the settings', () => {
    const connections = [mqttxConnection('big', 1_000, Math.ceil(MAX_IMPORT_BYTES / 900)), mqttxConnection('small', 2)];
    const text = JSON.stringify(connections);
    expect(text.length).toBeGreaterThan(MAX_IMPORT_BYTES);
    // Without this step the core's contract refuses the text outright.
    expect(commandSchemas['profile:import'].safeParse({ text }).success).toBe(false);

    const result = prepared(text);
    expect(result).toMatchObject({ format: 'mqttx', historiesDropped: 2 });
    expect(commandSchemas['profile:import'].safeParse({ text: result.text }).success).toBe(true);
    const slim = JSON.parse(result.text) as Record<string, unknown>[];
    expect(slim.map((c) => Object.keys(c))).toEqual(connections.map((c) => Object.keys(c).filter((k) => k !== 'messages' && k !== 'client')));
    expect(slim[0]).toMatchObject({ name: 'big', host: 'broker.example.com', clientId: 'mqttx_big', subscriptions: [{ topic: 'sensors/#', qos: 1 }] });
    // And the core reads what is left as the same MQTTX connections.
    expect(parseProfileImport(result.text)).toMatchObject({ ok: true, format: 'mqttx', skipped: [] });
  });

  it('strips a single MQTTX record and the connections inside MQTTX collections (folders)', () => {
    const single = prepared(JSON.stringify(mqttxConnection('one', 3)));
    expect(JSON.parse(single.text)).not.toHaveProperty('messages');
    expect(JSON.parse(single.text)).toMatchObject({ name: 'one' });

    const folder = { id: 'f', name: 'Factory', isCollection: true, children: [mqttxConnection('inside', 5)] };
    const result = prepared(JSON.stringify([folder, mqttxConnection('top', 0)]));
    const slim = JSON.parse(result.text) as [{ children: Record<string, unknown>[] }, Record<string, unknown>];
    expect(slim[0].children[0]).not.toHaveProperty('messages');
    expect(slim[0].children[0]).not.toHaveProperty('client');
    expect(slim[0].children[0]).toMatchObject({ name: 'inside' });
    expect(slim[1]).not.toHaveProperty('messages');
    // An empty history is not counted as one left out.
    expect(result.historiesDropped).toBe(1);
  });

  it('sends text that is not JSON, and JSON that is not an MQTTX export, unchanged', () => {
    expect(prepareImportText('not json at all')).toEqual({ ok: true, text: 'not json at all', format: 'other', historiesDropped: 0 });
    const topicscope = JSON.stringify({ format: 'topicscope-profiles', version: 1, profiles: [{ name: 'x', messages: [1] }] }, null, 2);
    expect(prepared(topicscope).text).toBe(topicscope);
  });

  it('refuses an MQTTX export still over the cap without histories, saying what to do', () => {
    const many = Array.from({ length: 9_000 }, (_, i) => ({ ...mqttxConnection(`c${i}`, 0), name: `c${i}`.padEnd(Math.ceil(MAX_IMPORT_BYTES / 8_000), '.') }));
    const result = prepareImportText(JSON.stringify(many));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/MQTTX export is [\d.]+ MiB even without its message histories.*Export fewer connections/);
  });

  it('refuses any other text over the cap with the limit and what to pick instead', () => {
    const result = prepareImportText('x'.repeat(MAX_IMPORT_BYTES + 1));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/up to 32 MiB.*Topicscope export or an MQTTX "Export data" JSON file/);
  });
});

describe('fileSizeProblem', () => {
  it('reads files up to the read limit and refuses larger ones before reading them', () => {
    expect(fileSizeProblem(MAX_READ_BYTES)).toBeNull();
    expect(fileSizeProblem(MAX_READ_BYTES + 1)).toMatch(/too large to be a connection export/);
  });
});
