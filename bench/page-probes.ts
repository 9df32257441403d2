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
 *     value viewer (CodeMirror's "Payload value", in the viewer's shadow root), pushes
 *     Date.now() - t to `latencies`;
 *   - showValue(topic, text, complete): clicks the topic's row and resolves with the ms
 *     until a frame shows `text` in the viewer, the longest main-thread task meanwhile,
 *     and the ms until a frame shows `complete` in the details pane (outside the viewer);
 *   - scroll(frames, step): scrolls the tree by `step` px in each of `frames` frames and
 *     resolves with the frame deltas.
 *   - watchKeys(): for every key typed into the page, pushes to `keyLatencies` the ms from
 *     the key event's timestamp (so time it waited for the main thread counts) to the
 *     end of the first frame after its input event was handled (a rAF, then a message
 *     task: the frame with the handler's DOM changes has been produced by then).
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

  // The value viewer (CodeMirror) lives in a shadow root: observed there, not under body.
  b.viewerText = () => {
    const host = document.querySelector('.code-viewer');
    const content = host && host.shadowRoot && host.shadowRoot.querySelector('[aria-label="Payload value"]');
    return content ? content.textContent : null;
  };
  const observeViewer = (onChange) => {
    const observed = new Set();
    const observer = new MutationObserver(() => {
      const host = document.querySelector('.code-viewer');
      if (host && host.shadowRoot && !observed.has(host.shadowRoot)) {
        observed.add(host.shadowRoot);
        observer.observe(host.shadowRoot, { subtree: true, childList: true, characterData: true });
      }
      onChange();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    return observer;
  };

  b.watchPayload = () => {
    const observer = observeViewer(() => {
      const text = b.viewerText();
      if (text === null) return;
      const at = Date.now();
      for (const match of text.matchAll(/"t":\s*(\d+)/g)) {
        const t = Number(match[1]);
        if (b.seen.has(t)) continue;
        b.seen.add(t);
        b.latencies.push(at - t);
      }
    });
    b.stopPayload = () => observer.disconnect();
  };

  // Clicks the tree row of 'topic' and resolves, at the first frame showing 'expected' in
  // the viewer, with the milliseconds since the click and the longest main-thread task
  // that started in between; and once a frame shows 'complete' in the details pane, with
  // the milliseconds until then.
  b.showValue = (topic, expected, complete) => new Promise((resolve) => {
    const tasks = [];
    const longTasks = new PerformanceObserver((list) => { for (const entry of list.getEntries()) tasks.push(entry); });
    longTasks.observe({ type: 'longtask' });
    const start = performance.now();
    let shown = null;
    let completeMs = null;
    const finish = () => {
      if (shown === null || completeMs === null) return;
      observer.disconnect();
      resolve({ ...shown, completeMs });
    };
    const observer = observeViewer(() => {
      const text = b.viewerText();
      if (shown === null && !shownPending && text !== null && text.includes(expected)) {
        shownPending = true;
        requestAnimationFrame(() => {
          const shownMs = performance.now() - start;
          for (const entry of longTasks.takeRecords()) tasks.push(entry);
          longTasks.disconnect();
          const during = tasks.filter((entry) => entry.startTime >= start - 1);
          shown = { shownMs, longestTaskMs: Math.max(0, ...during.map((entry) => entry.duration)) };
          finish();
        });
      }
      const details = document.querySelector('[aria-label="Topic details"]');
      if (completeMs === null && !completePending && details && details.textContent.includes(complete)) {
        completePending = true;
        requestAnimationFrame(() => { completeMs = performance.now() - start; finish(); });
      }
    });
    let shownPending = false;
    let completePending = false;
    document.querySelector('[role="treeitem"][data-topic="' + topic + '"]').click();
  });

  b.keyLatencies = [];
  b.watchKeys = () => {
    let pressedAt = null;
    document.addEventListener('keydown', (event) => { pressedAt = event.timeStamp; }, true);
    document.addEventListener('input', () => {
      if (pressedAt === null) return;
      const at = pressedAt;
      pressedAt = null;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => b.keyLatencies.push(performance.now() - at);
        channel.port2.postMessage(null);
      });
    });
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
