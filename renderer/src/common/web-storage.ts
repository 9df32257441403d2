/**
 * Reading and writing Web Storage for things the window only remembers (list order,
 * dismissed notices, the tabs to bring back after a reload). Storage can be missing
 * (Node tests) or refuse access and writes (private windows, a full quota): nothing kept
 * there is essential, so a failure reads as "nothing stored" and a write is dropped.
 */

/** The part of Web Storage used here, typed apart so Node tests (no DOM types) compile it. */
interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** `localStorage` is kept across starts; `sessionStorage` survives a reload, not the next start. */
export type StorageName = 'localStorage' | 'sessionStorage';

function storageOf(name: StorageName): KeyValueStorage {
  // Looked up inside the callers' try: merely touching it can throw when access is denied.
  const storage = (globalThis as Partial<Record<StorageName, KeyValueStorage>>)[name];
  if (!storage) throw new Error(`${name} is not available.`);
  return storage;
}

export function readStored(name: StorageName, key: string): string | null {
  try {
    return storageOf(name).getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(name: StorageName, key: string, value: string): void {
  try {
    storageOf(name).setItem(key, value);
  } catch {
    // Not remembering is harmless: see the module comment.
  }
}
