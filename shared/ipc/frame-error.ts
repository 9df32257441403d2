/** A browser-mode frame that cannot be encoded or read; the socket's peer may be hostile. */
export class FrameError extends Error {
  override name = 'FrameError';
}
