/**
 * What a window keeps in sessionStorage so a reload brings its tabs back: the order,
 * the active tab and each tab's unsaved form, never a secret. Pure, so the parsing of
 * whatever is stored and the merge with the connections the core still has open are
 * tested without a browser.
 */
import type { OpenConnection } from '../../../shared/ipc/ipc-contract';
import { configToForm, defaultFormFields, withoutSecrets, type ConnectionFormFields } from '../connection/connection-form';

export const TAB_SNAPSHOT_KEY = 'topicscope.tabs';

export interface TabDraft {
  /** The tab's key in this window (stable across reloads). */
  key: string;
  /** The connection the tab showed, if it had one open. */
  connectionId: string | null;
  profileId: string | null;
  randomClientId: boolean;
  /** The form as the user left it, secrets emptied. */
  form: ConnectionFormFields;
}

export interface TabsSnapshot {
  tabs: TabDraft[];
  activeKey: string | null;
}

/** One tab to recreate: a draft, an open connection, or both. */
export interface RestoredTab extends TabDraft {
  connection: OpenConnection | null;
}

export function serializeSnapshot(snapshot: TabsSnapshot): string {
  return JSON.stringify({
    version: 1,
    activeKey: snapshot.activeKey,
    tabs: snapshot.tabs.map((tab) => ({ ...tab, form: withoutSecrets(tab.form) })),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function idOrNull(value: unknown): string | null {
  return typeof value === 'string' && KEY_PATTERN.test(value) ? value : null;
}

function isSubscriptionList(value: unknown): value is ConnectionFormFields['subscriptions'] {
  return Array.isArray(value) && value.every((s) => isRecord(s) && typeof s['filter'] === 'string' && (s['qos'] === 0 || s['qos'] === 1 || s['qos'] === 2));
}

/**
 * Takes each known field whose type matches the default's and falls back to the
 * default otherwise: storage written by an older build (or edited by hand) still
 * gives a usable form. Secrets are never read back.
 */
export function sanitizeForm(raw: unknown): ConnectionFormFields {
  const form = defaultFormFields('');
  if (!isRecord(raw)) return form;
  const target = form as unknown as Record<string, unknown>;
  for (const [key, fallback] of Object.entries(form)) {
    const value = raw[key];
    if (key === 'password' || key === 'keyPassphrase' || key === 'proxyPassword' || value === undefined) continue;
    if (key === 'subscriptions') {
      if (isSubscriptionList(value)) target[key] = value.map((s) => ({ filter: s.filter, qos: s.qos }));
    } else if (key === 'reconnectDelays') {
      if (isRecord(value) && typeof value['initialDelayMs'] === 'number' && typeof value['maxDelayMs'] === 'number') {
        target[key] = { initialDelayMs: value['initialDelayMs'], maxDelayMs: value['maxDelayMs'] };
      }
    } else if (typeof value === typeof fallback) {
      target[key] = value;
    }
  }
  return form;
}

/** Reads the stored snapshot; anything unreadable gives null, never an exception. */
export function parseSnapshot(text: string | null): TabsSnapshot | null {
  if (!text) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(raw) || raw['version'] !== 1 || !Array.isArray(raw['tabs'])) return null;
  const tabs: TabDraft[] = [];
  const seen = new Set<string>();
  for (const entry of raw['tabs']) {
    if (!isRecord(entry)) continue;
    const key = idOrNull(entry['key']);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    tabs.push({
      key,
      connectionId: idOrNull(entry['connectionId']),
      profileId: idOrNull(entry['profileId']),
      randomClientId: entry['randomClientId'] !== false,
      form: sanitizeForm(entry['form']),
    });
  }
  const activeKey = idOrNull(raw['activeKey']);
  return { tabs, activeKey: activeKey && seen.has(activeKey) ? activeKey : null };
}

/**
 * The tabs to show after a reload: the stored tabs in their order, each re-attached to
 * its connection if the core still has it, then a tab for every other open connection
 * (opened from another window, or before storage was written). `fromSnapshot` names
 * the tabs whose settings came from storage rather than from the core.
 */
export function planRestore(
  snapshot: TabsSnapshot | null,
  open: readonly OpenConnection[],
  newKey: () => string,
): { tabs: RestoredTab[]; activeKey: string | null; fromSnapshot: Set<string> } {
  const remaining = new Map(open.map((c) => [c.connectionId, c]));
  const tabs: RestoredTab[] = [];
  for (const draft of snapshot?.tabs ?? []) {
    const connection = draft.connectionId ? remaining.get(draft.connectionId) : undefined;
    if (connection) remaining.delete(connection.connectionId);
    tabs.push({ ...draft, connectionId: connection?.connectionId ?? null, profileId: draft.profileId ?? connection?.profileId ?? null, connection: connection ?? null });
  }
  for (const connection of remaining.values()) {
    tabs.push({
      key: newKey(),
      connectionId: connection.connectionId,
      profileId: connection.profileId,
      randomClientId: true,
      form: configToForm(connection.config),
      connection,
    });
  }
  const fromSnapshot = new Set(snapshot?.tabs.map((t) => t.key));
  const stored = snapshot?.activeKey;
  const activeKey = stored && tabs.some((t) => t.key === stored) ? stored : (tabs[0]?.key ?? null);
  return { tabs, activeKey, fromSnapshot };
}
