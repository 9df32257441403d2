/**
 * Browser mode's download link for a finished recording: the host serves it at
 * /recordings/<name> to requests carrying the same token as the socket (from the page's
 * URL fragment). The desktop app never needs one: main wrote the file where the user chose.
 */
export function recordingDownloadUrl(downloadName: string): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
  return `/recordings/${encodeURIComponent(downloadName)}?token=${encodeURIComponent(token)}`;
}
