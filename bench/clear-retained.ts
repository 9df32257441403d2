/**
 * `clear-retained` scenario: finding and clearing 10,000 retained messages by filter
 * through the core's commands (retained:find, retained:clear), as the dialog does
 * without the UI. A fresh Mosquitto (started here, default limits) gets 10,000 retained
 * topics from a seeding client the app never sees, plus 10 outside the filter that must
 * stay. Then, through a ConnectionRegistry and the command dispatcher:
 *
 * - `findMs`: retained:find from the command to its answer, the 750 ms quiet time included;
 * - `clearMs`: from the first empty retained publish to the last PUBACK (the issue's
 *   "10,000 retained topics are cleared within 5 s"; target ≤ 5,000 ms);
 * - `clearCommandMs`: the whole retained:clear command (helper connection, publishing,
 *   and the check that asks the broker what it still holds, quiet time included);
 * - `clearedPerSec`: 10,000 / clearMs.
 *
 * The counts must be exact: 10,000 found, 10,000 cleared, none remaining after (the
 * command's own check and an independent mosquitto_sub), the 10 others untouched.
 */
import mqtt from 'mqtt';
import { dispatchCommand } from '../electron/core/ipc/command-dispatch';
import { ConnectionRegistry } from '../electron/core/connection/connection-registry';
import type { CommandName, CommandResult, EventPayloads } from '../shared/ipc/ipc-contract';
import { startMosquitto } from '../test/harness/mosquitto';
import { peerClientOptions } from '../test/harness/mqtt-peer';
import { retainedTopicsOnBroker } from '../test/harness/retained-on-broker';
import { runMain, trackStop } from './cleanup';
import { emitResult, metricRow, progress } from './result';
import { machineInfo, round } from './stats';

const TOPICS = 10_000;
const OTHERS = 10;
const FILTER = 'plant/+/+/state';
const TARGET_CLEAR_MS = 5_000;

function topicOf(i: number): string {
  return `plant/line${Math.floor(i / 100)}/m${i % 100}/state`;
}

async function seed(broker: Awaited<ReturnType<typeof startMosquitto>>): Promise<void> {
  const client = await mqtt.connectAsync({ ...peerClientOptions(broker, 'seed_') });
  const publishes: Promise<unknown>[] = [];
  for (let i = 0; i < TOPICS; i++) publishes.push(client.publishAsync(topicOf(i), JSON.stringify({ i, on: true }), { qos: 1, retain: true }));
  for (let i = 0; i < OTHERS; i++) publishes.push(client.publishAsync(`plant/line${i}/config`, 'keep', { qos: 1, retain: true }));
  await Promise.all(publishes);
  await client.endAsync();
}

async function main(): Promise<void> {
  const broker = await startMosquitto({ logTypes: ['error', 'warning'] });
  trackStop('mosquitto', () => broker.stop());
  progress(`Seeding ${TOPICS.toLocaleString('en-US')} retained topics (and ${OTHERS} outside "${FILTER}")...`);
  await seed(broker);

  const progressEvents: EventPayloads['retained:clear-progress'][] = [];
  const registry = new ConnectionRegistry({
    emit: (event, payload) => {
      if (event === 'retained:clear-progress') progressEvents.push(payload as EventPayloads['retained:clear-progress']);
    },
    mode: 'browser',
    versions: {},
  });
  trackStop('core', () => registry.closeAll());
  const dispatch = async <K extends CommandName>(name: K, args: unknown): Promise<CommandResult<K>> =>
    (await dispatchCommand(registry.handlers, name, args)) as CommandResult<K>;
  const connectionId = 'bench';
  const opened = await dispatch('connection:open', {
    connectionId,
    config: { protocol: 'mqtt', host: broker.host, port: broker.ports.mqtt, clientId: 'bench_app', username: broker.username, password: broker.password, mqttVersion: '5', subscriptions: [] },
  });
  if (!opened.ok) throw new Error(`connection:open failed: ${opened.error.message}`);

  let started = performance.now();
  const found = await dispatch('retained:find', { connectionId, filter: FILTER });
  const findMs = performance.now() - started;
  if (!found.ok) throw new Error(`retained:find failed: ${found.error.message}`);
  progress(`Found ${found.value.topics.length.toLocaleString('en-US')} in ${Math.round(findMs)} ms; clearing...`);

  started = performance.now();
  const cleared = await dispatch('retained:clear', { connectionId, filter: FILTER, topics: found.value.topics });
  const clearCommandMs = performance.now() - started;
  if (!cleared.ok) throw new Error(`retained:clear failed: ${cleared.error.message}`);
  const { clearMs } = cleared.value;
  const left = await retainedTopicsOnBroker(broker.info(), FILTER);
  const others = await retainedTopicsOnBroker(broker.info(), 'plant/+/config');

  const problems: string[] = [];
  if (found.value.topics.length !== TOPICS) problems.push(`found ${found.value.topics.length} of ${TOPICS} retained topics`);
  if (cleared.value.cleared !== TOPICS) problems.push(`cleared ${cleared.value.cleared} of ${TOPICS} (${cleared.value.failures.length} failures)`);
  if (cleared.value.remaining !== 0) problems.push(`the check found ${cleared.value.remaining} still retained`);
  if (left.length !== 0) problems.push(`mosquitto_sub still sees ${left.length} retained under "${FILTER}"`);
  if (others.length !== OTHERS) problems.push(`${OTHERS - others.length} retained topics outside the filter were cleared`);
  const valid = problems.length === 0;
  progress(`Cleared in ${Math.round(clearMs)} ms (command ${Math.round(clearCommandMs)} ms, ${progressEvents.length} progress events)`);

  emitResult({
    scenario: 'clear-retained',
    machine: machineInfo(),
    fields: {
      topics: TOPICS,
      found: found.value.topics.length,
      cleared: cleared.value.cleared,
      remaining: cleared.value.remaining,
      findMs: round(findMs),
      clearMs: round(clearMs),
      clearCommandMs: round(clearCommandMs),
      clearedPerSec: Math.round(TOPICS / (clearMs / 1000)),
      progressEvents: progressEvents.length,
    },
    rows: [
      metricRow('clear-retained', 'clearMs (10,000 topics)', round(clearMs), 'ms', { op: '<=', value: TARGET_CLEAR_MS }, valid),
      metricRow('clear-retained', 'clearedPerSec', Math.round(TOPICS / (clearMs / 1000)), 'topics/s'),
      metricRow('clear-retained', 'findMs', round(findMs), 'ms'),
      metricRow('clear-retained', 'clearCommandMs (with check)', round(clearCommandMs), 'ms'),
    ],
    problems,
  });
}

runMain(main);
