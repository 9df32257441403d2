/**
 * Keyboard handling of the connection tabs, after the WAI-ARIA tabs pattern (automatic
 * activation): arrows move and wrap, Home and End jump, Delete closes. Pure.
 */
export type TabKeyAction = { move: number } | { close: number } | null;

export function tabKeyAction(key: string, index: number, count: number): TabKeyAction {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowRight':
      return { move: (index + 1) % count };
    case 'ArrowLeft':
      return { move: (index - 1 + count) % count };
    case 'Home':
      return { move: 0 };
    case 'End':
      return { move: count - 1 };
    case 'Delete':
      return { close: index };
    default:
      return null;
  }
}
