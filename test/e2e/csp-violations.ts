import type { Page } from '@playwright/test';

/**
 * Records what the page refuses under its Content Security Policy (the console's
 * "Refused to …", `securitypolicyviolation` events with where they came from, eval
 * attempts) and any uncaught page error, so a test can assert there were none. Call
 * before the page opens: the event listener is installed by an init script.
 */
export async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|unsafe-eval|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  await page.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.sourceFile + ' ' + e.lineNumber + ':' + e.columnNumber));",
  });
  return violations;
}
