/**
 * A proxy between the app and the broker: SOCKS5 or HTTP CONNECT, for every protocol.
 * Corporate networks often let nothing out except through one, which is why MQTTX and
 * MQTT Explorer users have asked for it for years. The password is a secret like the
 * MQTT password: it never leaves the core and is kept only in the secret store.
 */
import { z } from 'zod';
import { controlCharacterProblem } from '../mqtt/invisible-characters';

/** What the "Proxy type" select offers; `none` is a config without `proxy`. */
export const PROXY_TYPES = ['none', 'socks5', 'http'] as const;
export type ProxyChoice = (typeof PROXY_TYPES)[number];
export type ProxyType = Exclude<ProxyChoice, 'none'>;

/** The port each proxy kind usually listens on, to prefill the form (1080 for SOCKS, 3128 for Squid and most HTTP proxies). */
export const DEFAULT_PROXY_PORTS: Record<ProxyType, number> = { socks5: 1080, http: 3128 };

const PORT_RANGE = 'The proxy port must be between 1 and 65535.';

/** Refuses invisible characters in a proxy field, once, as what they are. */
function refuseInvisibleIn(fieldLabel: string) {
  return (value: string, ctx: z.RefinementCtx<string>): void => {
    const problem = controlCharacterProblem(value, fieldLabel);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: false });
  };
}

export const proxySchema = z.object({
  /** `socks5` (RFC 1928; the proxy resolves the broker's host name) or `http` (HTTP CONNECT). */
  type: z.enum(['socks5', 'http']),
  /** Host name or IP address of the proxy. */
  host: z
    .string()
    .trim()
    .min(1, 'Enter the proxy host name or IP address.')
    .max(253, 'The proxy host name is longer than 253 characters.')
    .superRefine(refuseInvisibleIn('proxy host'))
    .refine((h) => !h.includes('://'), 'Enter only the proxy host name: choose the kind in "Proxy type".')
    // A URL already has its own message.
    .refine((h) => h.includes('://') || !/[\s/]/.test(h), 'The proxy host name contains spaces or "/".'),
  port: z.number({ error: PORT_RANGE }).int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE),
  /** User name for the proxy (SOCKS5 username/password, or HTTP Basic); absent for an open proxy. */
  username: z
    .string()
    .max(255, 'The proxy user name is longer than 255 characters.')
    .superRefine(refuseInvisibleIn('proxy user name'))
    .optional(),
  /** Password for the proxy; a secret, held apart from saved configs like the MQTT password. */
  password: z.string().max(255, 'The proxy password is longer than 255 characters.').optional(),
});
export type ProxyConfig = z.output<typeof proxySchema>;

/** How a proxy kind is named in sentences: "the SOCKS5 proxy", "the HTTP proxy". */
export const PROXY_NAME: Record<ProxyType, string> = { socks5: 'SOCKS5 proxy', http: 'HTTP proxy' };

/** `SOCKS5 proxy at host:port`, for errors and the log. */
export function proxyPlace(proxy: Pick<ProxyConfig, 'type' | 'host' | 'port'>): string {
  return `${PROXY_NAME[proxy.type]} at ${proxy.host}:${proxy.port}`;
}

/** What the connection header shows after the broker: `via SOCKS5 host:port`, `via HTTP proxy host:port`. */
export function proxyVia(proxy: Pick<ProxyConfig, 'type' | 'host' | 'port'>): string {
  return `via ${proxy.type === 'socks5' ? 'SOCKS5' : 'HTTP proxy'} ${proxy.host}:${proxy.port}`;
}
