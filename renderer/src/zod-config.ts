/**
 * Imported first by main.ts, before any module that builds a schema: zod decides when
 * a schema is built whether to compile its parser with `new Function`, and probes
 * whether eval is allowed. The page's CSP forbids eval, so tell zod up front rather
 * than let its probe raise a CSP violation on every start.
 */
import { z } from 'zod';

z.config({ jitless: true });
