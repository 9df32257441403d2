import { describe, expect, it, vi } from 'vitest';
import { dispatchCommand } from '../../electron/core/ipc/command-dispatch';
import { ConnectionRegistry, type CoreHost } from '../../electron/core/connection/connection-registry';

function registry(openExternal?: CoreHost['openExternal']): ConnectionRegistry {
  return new ConnectionRegistry({ emit: () => {}, mode: openExternal ? 'electron' : 'browser', versions: {}, ...(openExternal ? { openExternal } : {}) });
}

describe('app:open-external, the one gateway to the system browser', () => {
  it('hands a plain https link to the system browser', async () => {
    const open = vi.fn(async () => {});
    const result = await dispatchCommand(registry(open).handlers, 'app:open-external', { url: 'https://docs.emqx.com/en/emqx/latest/' });
    expect(result).toEqual({ ok: true, value: { opened: true } });
    expect(open).toHaveBeenCalledWith('https://docs.emqx.com/en/emqx/latest/');
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'https://user:secret@example.com/', 'not a url', ''])(
    'refuses %j and opens nothing',
    async (url) => {
      const open = vi.fn(async () => {});
      const result = await dispatchCommand(registry(open).handlers, 'app:open-external', { url });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
      expect(open).not.toHaveBeenCalled();
    },
  );

  it('says nothing was opened where there is no system browser (browser mode)', async () => {
    const result = await dispatchCommand(registry().handlers, 'app:open-external', { url: 'https://mosquitto.org/' });
    expect(result).toEqual({ ok: true, value: { opened: false } });
  });
});
