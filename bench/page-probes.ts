/**
 * Instruments the app page for the ui scenario. Plain JavaScript in a string: it runs
 * in the page, not in Node, and the project's Node typecheck has no DOM types.
 * Installs `window.__bench`:
 *   - a requestAnimationFrame loop that records frame deltas between startFrames() and
 *     stopFrames() (the rAF timestamps are frame start times, so a delta is a frame);
 *   - watchRender(topic, n): stores in `rendered` the Date.now() of the first DOM
 *     mutation after which the tree row of `topic` shows a subtree count >= n
 *     (`domAt`), and of the next animation frame after it (`frameAt`, by then the frame
 *     with that DOM has been painted);
 *   - watchPayload(): for every `"t":<epoch ms>` that appears in the details pane's
 *     payload (`pre[aria-label="Payload value"]`), pushes Date.now() - t to `latencies`;
 *   - scroll(frames, step): scrolls the tree by `step` px in each of `frames` frames and
 *     resolves with the frame deltas.
 */
export const PAGE_PROBES = String.raw`
(() => {
  if (window.__bench) return;
  const b = (window.__bench = { frames: null, rendered: null, latencies: [], seen: new Set() });
  let lastFrame = null;
  const loop = (t) => {
    if (b.frames && lastFrame !== null) b.frames.push(t - lastFrame);
    lastFrame = t;
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  b.startFrames = () => { b.frames = []; };
  b.stopFrames = () => { const frames = b.frames || []; b.frames = null; return frames; };
  b.domRows = () => document.querySelectorAll('[role="treeitem"]').length;

  const rowSubtreeCount = (topic) => {
    const row = document.querySelector('[role="treeitem"][data-topic="' + topic + '"]');
    if (!row) return -1;
    // "bench 100,000 topics · 100,000 msgs": the counts end the row (separators removed, whatever the number format)
    const match = /(\d+)msgs?$/.exec(row.textContent.replace(/[\s,.\u00a0\u202f']/g, ''));
    return match ? Number(match[1]) : -1;
  };
  b.rowSubtreeCount = rowSubtreeCount;

  b.watchRender = (topic, expected) => {
    b.rendered = null;
    const observer = new MutationObserver(() => {
      if (rowSubtreeCount(topic) < expected) return;
      observer.disconnect();
      const domAt = Date.now();
      requestAnimationFrame(() => { b.rendered = { domAt, frameAt: Date.now() }; });
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  };

  b.watchPayload = () => {
    const observer = new MutationObserver(() => {
      const pre = document.querySelector('pre[aria-label="Payload value"]');
      if (!pre) return;
      const at = Date.now();
      for (const match of pre.textContent.matchAll(/"t":\s*(\d+)/g)) {
        const t = Number(match[1]);
        if (b.seen.has(t)) continue;
        b.seen.add(t);
        b.latencies.push(at - t);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    b.stopPayload = () => observer.disconnect();
  };

  b.scroll = (frames, step) => new Promise((resolve) => {
    const tree = document.querySelector('[role="tree"]');
    const deltas = [];
    let last = null;
    let n = 0;
    const startTop = tree.scrollTop;
    const frame = (t) => {
      if (last !== null) deltas.push(t - last);
      last = t;
      if (n++ >= frames) {
        resolve({ deltas, scrolledPx: tree.scrollTop - startTop, domRows: b.domRows() });
        return;
      }
      tree.scrollTop += step;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
})();
`;
