// `npm run web -- --port N`: builds the app, then runs the browser-mode host in this
// same process, so SIGINT and SIGTERM reach it directly and close its connections.
import { build } from 'electron-vite';

await build({ logLevel: 'warn' });
await import('../out/main/web-host.js');
