/**
 * Runs a callback at most once per animation frame however often it is requested:
 * message batches mark the view dirty, and the frame applies them all at once.
 */
export type RequestFrame = (callback: () => void) => void;

// The browser's own function. Declared here because this module is also typechecked
// without the DOM library, by the Node unit test of ExplorerState that imports it.
declare const requestAnimationFrame: (callback: () => void) => number;

export class FrameClock {
  #pending = false;
  readonly #callback: () => void;
  readonly #request: RequestFrame;

  constructor(callback: () => void, request: RequestFrame = (cb) => requestAnimationFrame(() => cb())) {
    this.#callback = callback;
    this.#request = request;
  }

  request(): void {
    if (this.#pending) return;
    this.#pending = true;
    this.#request(() => {
      this.#pending = false;
      this.#callback();
    });
  }
}
