/** Runs a program without a shell and fails with its stderr, so a broken tool says why. */
import { execFile, type ExecFileOptions } from 'node:child_process';

export function execFileText(file: string, args: string[], options: ExecFileOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...options, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${String(stderr).trim()}`));
        return;
      }
      resolve(String(stdout));
    });
  });
}
