import { describe, expect, it } from 'vitest';
import { byteRateText, bytesText, countText, messageRateText } from '../../shared/explorer/traffic-text';

describe('traffic figures', () => {
  it('writes counts with thousands separators', () => {
    expect(countText(0)).toBe('0');
    expect(countText(1_234_567)).toBe('1,234,567');
  });

  it('writes message rates with a decimal while small, whole when large', () => {
    expect(messageRateText(0)).toBe('0.0');
    expect(messageRateText(0.25)).toBe('0.3');
    expect(messageRateText(99.94)).toBe('99.9');
    expect(messageRateText(12_345.6)).toBe('12,346');
  });

  it('writes bytes in B, kB, MB and GB', () => {
    expect(bytesText(0)).toBe('0 B');
    expect(bytesText(999)).toBe('999 B');
    expect(bytesText(1_000)).toBe('1.0 kB');
    expect(bytesText(12_345)).toBe('12.3 kB');
    expect(bytesText(999_960)).toBe('1.0 MB');
    expect(bytesText(4_560_000)).toBe('4.6 MB');
    expect(bytesText(7_200_000_000)).toBe('7.2 GB');
    expect(byteRateText(2_500)).toBe('2.5 kB/s');
    expect(byteRateText(64)).toBe('64 B/s');
  });
});
