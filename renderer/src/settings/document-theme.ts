/**
 * The theme setting applied to the page: app.css colours everything with light-dark(),
 * so the root's `color-scheme` alone switches the whole window (and the native
 * controls, scroll bars and form fields with it).
 */
import type { Theme } from '../../../shared/settings/app-settings';

export const COLOR_SCHEMES: Record<Theme, string> = { system: 'light dark', light: 'light', dark: 'dark' };

/** The part of an element's style used here, typed apart so Node tests can pass a plain object. */
interface StyledElement {
  style: { colorScheme: string };
}

export function applyTheme(root: StyledElement, theme: Theme): void {
  root.style.colorScheme = COLOR_SCHEMES[theme];
}
