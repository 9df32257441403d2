/**
 * A failure of the proxy rather than of the broker. It travels through mqtt.js's stream
 * as an ordinary error (mqtt.js only reports errors with a `code`), and the error
 * mapping hands its AppError to the user as it is: the sentence already names the proxy.
 */
import type { AppError } from '../../../shared/ipc/app-error';

export class ProxyError extends Error {
  readonly code: AppError['code'];
  readonly appError: AppError;

  constructor(appError: AppError) {
    super(appError.message);
    this.name = 'ProxyError';
    this.code = appError.code;
    this.appError = appError;
  }
}
