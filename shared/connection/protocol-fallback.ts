/**
 * The MQTT version to try when a broker refuses the one asked for (CONNACK return code 1
 * on 3.1.1, 0x84 on 5): new connections default to 5, so older brokers fall back to
 * 3.1.1, and a form set to 3.1 or 3.1.1 tries the other one a broker may speak. Pure.
 */
import type { MqttVersion } from './connection-config';

const FALLBACK: Readonly<Record<MqttVersion, MqttVersion>> = { '5': '3.1.1', '3.1.1': '5', '3.1': '3.1.1' };

export function fallbackMqttVersion(refused: MqttVersion): MqttVersion {
  return FALLBACK[refused];
}

/** The button that switches the form and connects again: "Use MQTT 3.1.1". */
export function fallbackButtonLabel(refused: MqttVersion): string {
  return `Use MQTT ${fallbackMqttVersion(refused)}`;
}
