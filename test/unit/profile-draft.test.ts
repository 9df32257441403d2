import { describe, expect, it } from 'vitest';
import { configToForm, defaultFormFields, formToConfig, type ConnectionFormFields } from '../../renderer/src/connection/connection-form';
import { notCopiedNote, profileName, profileSaveArgs, sameBrokerAndUser, savesSecrets, tabTitle } from '../../renderer/src/profiles/profile-draft';
import { connectionConfigSchema } from '../../shared/connection/connection-config';
import { profileSaveSchema } from '../../shared/profiles/connection-profile';

function form(changes: Partial<ConnectionFormFields> = {}): ConnectionFormFields {
  return { ...defaultFormFields('topicscope_00000000'), ...changes };
}

describe('profileSaveArgs', () => {
  it('keeps secrets out of the config and sets the typed ones, which the contract accepts', () => {
    const args = profileSaveArgs({
      name: 'Local',
      form: form({ password: 'pw', keyPassphrase: 'kp', proxyType: 'socks5', proxyHost: 'proxy.corp', proxyPort: '1080', proxyPassword: 'pp' }),
      randomClientId: true,
    });
    expect(args.config.password).toBeUndefined();
    expect(args.config.tls?.keyPassphrase).toBeUndefined();
    expect(args.config.proxy).toEqual({ type: 'socks5', host: 'proxy.corp', port: 1080, username: undefined, password: undefined });
    expect(args.secrets).toEqual({ password: { action: 'set', value: 'pw' }, keyPassphrase: { action: 'set', value: 'kp' }, proxyPassword: { action: 'set', value: 'pp' } });
    expect(profileSaveSchema.safeParse(args).success).toBe(true);
  });

  it('leaves saved secrets alone when the fields are empty (the form shows them as saved)', () => {
    const args = profileSaveArgs({ id: 'p1', name: 'Local', form: form(), randomClientId: false });
    expect(args).toMatchObject({ id: 'p1', randomClientId: false, allowPlainTextSecrets: false });
    expect(args.secrets).toEqual({ password: { action: 'keep' }, keyPassphrase: { action: 'keep' }, proxyPassword: { action: 'keep' } });
  });

  it('saves without a typed secret when the user declined plain-text storage', () => {
    const args = profileSaveArgs({ name: 'Local', form: form({ password: 'pw' }), randomClientId: true, withoutSecrets: true });
    expect(args.secrets?.password).toEqual({ action: 'keep' });
    expect(JSON.stringify(args)).not.toContain('pw');
  });

  it('passes the plain-text opt-in only when given', () => {
    expect(profileSaveArgs({ name: 'n', form: form({ password: 'pw' }), randomClientId: true, allowPlainTextSecrets: true }).allowPlainTextSecrets).toBe(true);
  });

  it('names an unnamed profile after host and port', () => {
    expect(profileName('  ', form({ host: 'broker.emqx.io', port: '8883' }))).toBe('broker.emqx.io:8883');
    expect(profileName(' Staging ', form())).toBe('Staging');
  });

  it('says whether a save would store a secret', () => {
    expect(savesSecrets(form())).toBe(false);
    expect(savesSecrets(form({ keyPassphrase: 'x' }))).toBe(true);
  });
});

describe('Save as new', () => {
  const saved = connectionConfigSchema.parse({ protocol: 'mqtts', host: 'Broker.example', port: 8883, clientId: 'c', username: 'alice' });

  it('asks the core to copy the kept secrets of the original, which the contract accepts', () => {
    const args = profileSaveArgs({ name: 'Copy', form: form(), randomClientId: true, copySecretsFrom: 'p1' });
    expect(args).toMatchObject({ copySecretsFrom: 'p1', secrets: { password: { action: 'keep' }, keyPassphrase: { action: 'keep' } } });
    expect(args.id).toBeUndefined();
    expect(profileSaveSchema.parse(args).copySecretsFrom).toBe('p1');
  });

  it('never sends copySecretsFrom with an overwrite', () => {
    expect(profileSaveArgs({ id: 'p2', name: 'Same', form: form(), randomClientId: true, copySecretsFrom: 'p1' })).not.toHaveProperty('copySecretsFrom');
    expect(profileSaveArgs({ name: 'Fresh', form: form(), randomClientId: true })).not.toHaveProperty('copySecretsFrom');
  });

  it('copies only while the form names the same broker and user as the original', () => {
    const same = form({ protocol: 'mqtts', host: ' broker.example ', port: '8883', username: 'alice' });
    expect(sameBrokerAndUser(same, saved)).toBe(true);
    expect(sameBrokerAndUser({ ...same, host: 'staging.example' }, saved)).toBe(false);
    expect(sameBrokerAndUser({ ...same, port: '8884' }, saved)).toBe(false);
    expect(sameBrokerAndUser({ ...same, protocol: 'wss' }, saved)).toBe(false);
    expect(sameBrokerAndUser({ ...same, username: 'bob' }, saved)).toBe(false);
  });

  it('names the saved secrets a copy for another broker left behind, so the user types them', () => {
    const source = { name: 'Prod', savedSecrets: { password: true, keyPassphrase: false, proxyPassword: false } };
    expect(notCopiedNote(source, { savedSecrets: { password: false, keyPassphrase: false, proxyPassword: false } })).toBe(
      ' The saved password of "Prod" was not copied, because this profile names another broker or user: type it and save.',
    );
    // A password typed for the copy is saved with it: nothing to say.
    expect(notCopiedNote(source, { savedSecrets: { password: true, keyPassphrase: false, proxyPassword: false } })).toBe('');
    expect(notCopiedNote(undefined, { savedSecrets: { password: false, keyPassphrase: false, proxyPassword: false } })).toBe('');
  });
});

describe('configToForm', () => {
  it('gives back the form that produces the same config, without secrets', () => {
    const config = connectionConfigSchema.parse({
      protocol: 'wss', host: 'h.example', port: 8084, clientId: 'me', username: 'u', password: 'secret', mqttVersion: '5',
      sessionExpirySeconds: 60, connectTimeoutMs: 30_000, websocketPath: '/ws', websocketHeaders: { Authorization: 'Bearer x' },
      reconnect: { enabled: false, initialDelayMs: 2_000, maxDelayMs: 60_000 },
      will: { topic: 'w', payload: 'gone', qos: 1, retain: true },
      tls: { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', keyPassphrase: 'kp', alpnProtocols: ['mqtt'], serverName: 'sni' },
      subscriptions: [{ filter: 'a/#', qos: 2 }],
    });
    const fields = configToForm(config);
    expect(fields.password).toBe('');
    expect(fields.keyPassphrase).toBe('');
    const again = connectionConfigSchema.parse(formToConfig(fields));
    expect(again).toEqual({ ...config, password: undefined, tls: { ...config.tls, keyPassphrase: undefined } });
  });
});

describe('tabTitle', () => {
  it('is the profile name, else the host, else "New connection"', () => {
    expect(tabTitle('Production', form({ host: 'x' }))).toBe('Production');
    expect(tabTitle(null, form({ host: ' broker.local ' }))).toBe('broker.local');
    expect(tabTitle(null, form({ host: '' }))).toBe('New connection');
  });
});
