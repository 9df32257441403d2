import { describe, expect, it } from 'vitest';
import { revertedForm, settingsChanged } from '../../renderer/src/connection/connection-edit';
import { defaultFormFields } from '../../renderer/src/connection/connection-form';

describe('editing the settings of an open connection', () => {
  const base = { form: defaultFormFields('topicscope_test'), randomClientId: true };

  it('counts a changed field or the random client ID choice as a change that needs a reconnect', () => {
    expect(settingsChanged(base, { ...base.form }, true)).toBe(false);
    expect(settingsChanged(base, { ...base.form, clientId: 'mine' }, true)).toBe(true);
    expect(settingsChanged(base, { ...base.form, mqttVersion: base.form.mqttVersion === '5' ? '3.1.1' : '5' }, true)).toBe(true);
    expect(settingsChanged(base, { ...base.form }, false)).toBe(true);
  });

  it('leaves subscriptions out: they apply live while connected', () => {
    expect(settingsChanged(base, { ...base.form, subscriptions: [{ filter: 'only/#', qos: 1 }] }, true)).toBe(false);
  });

  it('Cancel restores every setting and keeps the subscriptions as they are now', () => {
    const now = { ...base.form, host: 'typed.example', subscriptions: [{ filter: 'live/#', qos: 0 as const }] };
    expect(revertedForm(base, now)).toEqual({ ...base.form, subscriptions: [{ filter: 'live/#', qos: 0 }] });
  });
});
