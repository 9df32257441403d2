/**
 * What a broker holds as retained for a filter, asked independently of the app: Debian's
 * `mosquitto_sub --retained-only`, which prints each retained message's topic and exits
 * once `waitSeconds` pass with nothing more arriving (-W; its exit status is then 27,
 * which is not a failure here).
 */
import { execFile } from 'node:child_process';
import type { BrokerInfo } from './mosquitto';

export function retainedTopicsOnBroker(broker: BrokerInfo, filter: string, waitSeconds = 1): Promise<string[]> {
  const args = ['-h', broker.host, '-p', String(broker.ports.mqtt), '-u', broker.username, '-P', broker.password, '-t', filter, '--retained-only', '-F', '%t', '-W', String(waitSeconds)];
  return new Promise((resolve, reject) => {
    execFile('mosquitto_sub', args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // 27: timed out waiting, the normal end with -W.
      if (error && error.code !== 27) {
        reject(new Error(`mosquitto_sub ${args.join(' ')} failed: ${error.message}\n${stderr.trim()}`));
        return;
      }
      resolve(stdout.split('\n').filter((line) => line !== '').sort());
    });
  });
}
