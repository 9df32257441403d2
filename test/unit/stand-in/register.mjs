// `node --import ./test/unit/stand-in/register.mjs out/main/index.js` runs the built
// main process under plain Node with electron.mjs in place of the `electron` module
// (the real one needs the Electron binary, which these machines cannot download).
import { register } from 'node:module';

register('./resolve-electron.mjs', import.meta.url);
