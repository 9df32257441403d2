/**
 * What a chart series plots: a topic's value, a number inside its JSON payload, or a
 * Sparkplug B metric of its payloads. Pure.
 */

/** One step into a JSON value: a key of an object or an index of an array. */
export type JsonPathStep = string | number;

export interface ChartSource {
  /** The exact topic (no wildcards) whose messages feed the series. */
  topic: string;
  /** Where the number is inside a JSON payload; absent: the whole payload is the number. */
  path?: readonly JsonPathStep[];
  /** A Sparkplug B metric's name, for payloads of a Sparkplug topic; exclusive with `path`. */
  metric?: string;
}

/** The same string for the same source, whatever object carries it: a series' identity. */
export function sourceKey(source: ChartSource): string {
  return JSON.stringify([source.topic, source.path ?? null, source.metric ?? null]);
}

/** The path as a JSONPath-like text, `$.reading.values[0]`, quoting keys that are not plain names. */
export function pathText(path: readonly JsonPathStep[]): string {
  let text = '$';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) text += `.${step}`;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}

/** How the series is named in the legend and the chart's accessible name. */
export function sourceLabel(source: ChartSource): string {
  if (source.metric !== undefined) return `${source.topic} · ${source.metric}`;
  if (source.path && source.path.length > 0) return `${source.topic} ${pathText(source.path)}`;
  return source.topic;
}
