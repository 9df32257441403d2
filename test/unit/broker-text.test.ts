import { describe, expect, it } from 'vitest';
import { bytesPerSecondText, pendingText, perSecondText, uptimeText } from '../../shared/broker/broker-text';

describe('broker figures as text', () => {
  it('shows an uptime in its two largest units', () => {
    expect(uptimeText(42)).toBe('42 s');
    expect(uptimeText(250)).toBe('4 min 10 s');
    expect(uptimeText(7_500)).toBe('2 h 5 min');
    expect(uptimeText(3 * 86_400 + 4 * 3_600 + 59)).toBe('3 d 4 h');
  });

  it('shows rates per second', () => {
    expect(perSecondText(0.42)).toBe('0.4/s');
    expect(perSecondText(1_250.2)).toBe('1,250/s');
    expect(bytesPerSecondText(812)).toBe('812 B/s');
    expect(bytesPerSecondText(1_430)).toBe('1.4 kB/s');
    expect(bytesPerSecondText(23_000_000)).toBe('23 MB/s');
  });

  it('says when each broker publishes what is missing', () => {
    expect(pendingText('mosquitto', 'value')).toBe('when it changes');
    expect(pendingText('emqx', 'value')).toBe('within the message interval (1 min by default)');
    expect(pendingText('emqx', 'uptime')).toBe('with the next heartbeat (30 s by default)');
    expect(pendingText('nanomq', 'value')).toMatch(/only client events/);
  });
});
