import { describe, expect, it } from 'vitest';
import { filterCoversSys, isSysTopic, readSysTopic } from '../../shared/broker/sys-topic';

describe('readSysTopic', () => {
  it('recognises Mosquitto, with the space in "retained messages"', () => {
    expect(readSysTopic('$SYS/broker/clients/connected')).toEqual({ kind: 'mosquitto', path: 'clients/connected' });
    expect(readSysTopic('$SYS/broker/retained messages/count')).toEqual({ kind: 'mosquitto', path: 'retained messages/count' });
  });

  it('recognises each EMQX node, its node list and its events', () => {
    expect(readSysTopic('$SYS/brokers')).toEqual({ kind: 'emqx-nodes' });
    expect(readSysTopic('$SYS/brokers/emqx@10.0.0.1/stats/connections/count')).toEqual({ kind: 'emqx', node: 'emqx@10.0.0.1', path: 'stats/connections/count' });
    expect(readSysTopic('$SYS/brokers/emqx@10.0.0.2/clients/dev/1/connected')).toEqual({ kind: 'emqx', node: 'emqx@10.0.0.2', path: 'clients/dev/1/connected' });
  });

  it('tells NanoMQ client events from EMQX nodes', () => {
    expect(readSysTopic('$SYS/brokers/connected')).toEqual({ kind: 'nanomq', event: 'connected' });
    expect(readSysTopic('$SYS/brokers/disconnected')).toEqual({ kind: 'nanomq', event: 'disconnected' });
    expect(readSysTopic('$SYS/brokers/client_status/sensor-7')).toEqual({ kind: 'nanomq-status', clientId: 'sensor-7' });
  });

  it('recognises VerneMQ by its Erlang node name', () => {
    expect(readSysTopic('$SYS/VerneMQ@127.0.0.1/mqtt/publish/received')).toEqual({ kind: 'vernemq', node: 'VerneMQ@127.0.0.1', path: 'mqtt/publish/received' });
  });

  it('recognises nothing else', () => {
    for (const topic of ['sensors/temp', '$SYS', '$SYS/', '$SYS/broker', '$SYS/broker/', '$SYS/brokers/emqx@a', '$SYS/brokers/emqx@a/', '$SYS/hivemq/x', '$share/g/t', 'x/$SYS/broker/uptime']) {
      expect(readSysTopic(topic), topic).toBeNull();
    }
  });
});

describe('isSysTopic and filterCoversSys', () => {
  it('checks the prefix only', () => {
    expect(isSysTopic('$SYS/anything')).toBe(true);
    expect(isSysTopic('$SYSTEM/x')).toBe(false);
    expect(isSysTopic('a/$SYS/b')).toBe(false);
  });

  it('knows wildcards in the first level never match $SYS', () => {
    expect(filterCoversSys('$SYS/#')).toBe(true);
    expect(filterCoversSys('$SYS/broker/+')).toBe(true);
    expect(filterCoversSys('#')).toBe(false);
    expect(filterCoversSys('+/broker/uptime')).toBe(false);
  });
});
