/**
 * Sparkplug B topics (Sparkplug 3.0, section 4.1): `spBv1.0/<group>/<type>/<edge node>[/<device>]`
 * and the host applications' `spBv1.0/STATE/<host id>`. Anything else under `spBv1.0`
 * is not a Sparkplug topic: parsing returns null, it never throws (brokers carry
 * whatever clients publish).
 */

export const SPARKPLUG_NAMESPACE = 'spBv1.0';

/** Message types an edge node publishes (or is sent: NCMD) about itself. */
export type SparkplugNodeMessageType = 'NBIRTH' | 'NDEATH' | 'NDATA' | 'NCMD';
/** Message types about one device behind an edge node. */
export type SparkplugDeviceMessageType = 'DBIRTH' | 'DDEATH' | 'DDATA' | 'DCMD';
export type SparkplugMessageType = SparkplugNodeMessageType | SparkplugDeviceMessageType;

const NODE_TYPES: ReadonlySet<string> = new Set<SparkplugNodeMessageType>(['NBIRTH', 'NDEATH', 'NDATA', 'NCMD']);
const DEVICE_TYPES: ReadonlySet<string> = new Set<SparkplugDeviceMessageType>(['DBIRTH', 'DDEATH', 'DDATA', 'DCMD']);

/** Every message type, in the order a node's topics are listed. */
export const SPARKPLUG_MESSAGE_TYPES: readonly SparkplugMessageType[] = ['NBIRTH', 'NDEATH', 'NDATA', 'NCMD', 'DBIRTH', 'DDEATH', 'DDATA', 'DCMD'];

export function isDeviceMessageType(type: SparkplugMessageType): type is SparkplugDeviceMessageType {
  return DEVICE_TYPES.has(type);
}

/** A message about an edge node itself. */
export interface SparkplugNodeTopic {
  kind: 'node';
  group: string;
  type: SparkplugNodeMessageType;
  edgeNode: string;
}

/** A message about one device of an edge node. */
export interface SparkplugDeviceTopic {
  kind: 'device';
  group: string;
  type: SparkplugDeviceMessageType;
  edgeNode: string;
  device: string;
}

/** A host application's online state (Sparkplug 3.0: a JSON payload, not protobuf). */
export interface SparkplugStateTopic {
  kind: 'state';
  hostId: string;
}

export type SparkplugTopic = SparkplugNodeTopic | SparkplugDeviceTopic | SparkplugStateTopic;

/** The parts of a Sparkplug topic; null for any topic that is not one. */
export function parseSparkplugTopic(topic: string): SparkplugTopic | null {
  if (!topic.startsWith(SPARKPLUG_NAMESPACE + '/')) return null;
  const parts = topic.split('/');
  if (parts.some((part) => part === '')) return null;
  const [, group, type, edgeNode, device] = parts as [string, string, string, string | undefined, string | undefined];
  if (group === 'STATE') return parts.length === 3 ? { kind: 'state', hostId: type } : null;
  if (parts.length === 4 && NODE_TYPES.has(type)) return { kind: 'node', group, type: type as SparkplugNodeMessageType, edgeNode: edgeNode! };
  if (parts.length === 5 && DEVICE_TYPES.has(type)) return { kind: 'device', group, type: type as SparkplugDeviceMessageType, edgeNode: edgeNode!, device: device! };
  return null;
}

/** An edge node, and within it perhaps one device: what a selected topic is about. */
export interface SparkplugScope {
  group: string;
  edgeNode: string;
  /** Set when the topic is about one device. */
  device?: string;
}

/**
 * The edge node (and device) a topic is about, for the node and device message topics
 * and for the tree level that holds a node's device topics (`spBv1.0/g/DDATA/n`, which
 * has no message of its own); null otherwise (STATE topics included).
 */
export function sparkplugScopeOf(topic: string): SparkplugScope | null {
  const parsed = parseSparkplugTopic(topic);
  if (parsed?.kind === 'node') return { group: parsed.group, edgeNode: parsed.edgeNode };
  if (parsed?.kind === 'device') return { group: parsed.group, edgeNode: parsed.edgeNode, device: parsed.device };
  if (parsed) return null;
  const parts = topic.split('/');
  if (parts.length === 4 && parts[0] === SPARKPLUG_NAMESPACE && DEVICE_TYPES.has(parts[2]!) && parts.every((part) => part !== '') && parts[1] !== 'STATE') {
    return { group: parts[1]!, edgeNode: parts[3]! };
  }
  return null;
}
