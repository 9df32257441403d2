/**
 * Only our own renderer may drive the connection core. A frame is trusted when its
 * URL is the app's renderer page (the packaged file, or the dev server in
 * development), never another origin a navigation or an iframe could bring in.
 */
export function isTrustedRendererUrl(frameUrl: string, rendererUrl: string): boolean {
  let frame: URL;
  let expected: URL;
  try {
    frame = new URL(frameUrl);
    expected = new URL(rendererUrl);
  } catch {
    return false;
  }
  // The host matters too: file://other-host/... is a network share on Windows.
  if (expected.protocol === 'file:') return frame.protocol === 'file:' && frame.host === expected.host && frame.pathname === expected.pathname;
  return frame.origin === expected.origin;
}
