import { describe, expect, it } from 'vitest';
import { parseSparkplugTopic, sparkplugScopeOf } from '../../shared/inspect/sparkplug/sparkplug-topic';

describe('parseSparkplugTopic', () => {
  it('reads node message topics', () => {
    expect(parseSparkplugTopic('spBv1.0/Plant1/NBIRTH/Gateway7')).toEqual({ kind: 'node', group: 'Plant1', type: 'NBIRTH', edgeNode: 'Gateway7' });
    expect(parseSparkplugTopic('spBv1.0/Plant1/NDATA/Gateway7')).toMatchObject({ kind: 'node', type: 'NDATA' });
    expect(parseSparkplugTopic('spBv1.0/Plant1/NDEATH/Gateway7')).toMatchObject({ kind: 'node', type: 'NDEATH' });
    expect(parseSparkplugTopic('spBv1.0/Plant1/NCMD/Gateway7')).toMatchObject({ kind: 'node', type: 'NCMD' });
  });

  it('reads device message topics', () => {
    expect(parseSparkplugTopic('spBv1.0/Plant1/DDATA/Gateway7/Pump2')).toEqual({ kind: 'device', group: 'Plant1', type: 'DDATA', edgeNode: 'Gateway7', device: 'Pump2' });
    for (const type of ['DBIRTH', 'DDEATH', 'DCMD']) expect(parseSparkplugTopic(`spBv1.0/g/${type}/n/d`)).toMatchObject({ kind: 'device', type });
  });

  it('reads the host application STATE topic of Sparkplug 3.0', () => {
    expect(parseSparkplugTopic('spBv1.0/STATE/scada-1')).toEqual({ kind: 'state', hostId: 'scada-1' });
  });

  it('returns null, without throwing, for anything else under spBv1.0', () => {
    for (const topic of [
      'spBv1.0',
      'spBv1.0/',
      'spBv1.0/g',
      'spBv1.0/g/NDATA',
      'spBv1.0/g/NDATA/n/extra',
      'spBv1.0/g/DDATA/n',
      'spBv1.0/g/DDATA/n/d/extra',
      'spBv1.0/g/NFOO/n',
      'spBv1.0/g/ndata/n',
      'spBv1.0//NDATA/n',
      'spBv1.0/g/NDATA/',
      'spBv1.0/STATE',
      'spBv1.0/STATE/host/more',
      'spAv1.0/g/NDATA/n',
      'sensors/spBv1.0/g/NDATA/n',
    ]) {
      expect(parseSparkplugTopic(topic), topic).toBeNull();
    }
  });
});

describe('sparkplugScopeOf', () => {
  it('names the edge node and device a message topic is about', () => {
    expect(sparkplugScopeOf('spBv1.0/g/NDATA/n')).toEqual({ group: 'g', edgeNode: 'n' });
    expect(sparkplugScopeOf('spBv1.0/g/DDATA/n/d')).toEqual({ group: 'g', edgeNode: 'n', device: 'd' });
  });

  it('takes the tree level holding a node’s device topics as the node', () => {
    expect(sparkplugScopeOf('spBv1.0/g/DBIRTH/n')).toEqual({ group: 'g', edgeNode: 'n' });
  });

  it('has no scope for STATE, levels above a node, or other topics', () => {
    expect(sparkplugScopeOf('spBv1.0/STATE/host')).toBeNull();
    expect(sparkplugScopeOf('spBv1.0/g/NDATA')).toBeNull();
    expect(sparkplugScopeOf('spBv1.0/g')).toBeNull();
    expect(sparkplugScopeOf('plant/line1/temp')).toBeNull();
  });
});
