/**
 * CodeMirror's setup for the read-only value viewer: the JSON language with folding
 * and highlighting, search, and a theme drawn from the app's CSS variables (app.css),
 * which switch between light and dark by themselves (`light-dark()`). CodeMirror's
 * styles are constructed stylesheets (style-mod's adoptedStyleSheets), which the
 * renderer's CSP (`style-src 'self'`) allows, unlike `<style>` elements.
 */
import { defaultKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import { HighlightStyle, codeFolding, foldGutter, foldKeymap, syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { DocumentLanguage } from './viewer-document';

const valueHighlight = HighlightStyle.define([
  { tag: tags.propertyName, color: 'var(--accent)' },
  { tag: tags.string, color: 'var(--ok)' },
  { tag: tags.number, color: 'var(--warn)' },
  { tag: [tags.bool, tags.null], color: 'var(--error)' },
  { tag: [tags.separator, tags.squareBracket, tags.brace], color: 'var(--muted)' },
]);

const viewerTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--panel-2)', color: 'var(--text)', borderRadius: '4px', fontSize: '12px', maxHeight: '40vh' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '16px', overflow: 'auto' },
  '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--hover)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--selection)' },
  '.cm-searchMatch': { backgroundColor: 'var(--flash)' },
  '.cm-searchMatch-selected': { outline: '1px solid var(--accent)' },
  '.cm-foldPlaceholder': { backgroundColor: 'var(--panel)', color: 'var(--muted)', border: '1px solid var(--border)' },
  '.cm-panels': { backgroundColor: 'var(--panel)', color: 'var(--text)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
  '.cm-panels.cm-panels-bottom': { borderTop: '1px solid var(--border)' },
  '.cm-textfield': { backgroundColor: 'var(--bg)', border: '1px solid var(--border)' },
  '.cm-button': { backgroundImage: 'none', backgroundColor: 'var(--panel-2)', border: '1px solid var(--border)' },
});

/** What stays the same for every document: read-only, search, the theme, the viewer's own keys (`extraKeys` first). */
export function baseExtensions(label: string, extraKeys: Extension): Extension {
  return [
    EditorState.readOnly.of(true),
    // Editable (a caret and the keyboard move through the value) but read-only: nothing typed changes it.
    EditorView.contentAttributes.of({ 'aria-label': label }),
    lineNumbers(),
    drawSelection(),
    highlightActiveLine(),
    // Ctrl/Cmd+F here opens the search panel; the key is handled, so the window's "filter topics" leaves it alone.
    search({ top: true }),
    highlightSelectionMatches(),
    extraKeys,
    keymap.of([...searchKeymap, ...foldKeymap, ...defaultKeymap]),
    viewerTheme,
  ];
}

/** What depends on the document's language; reconfigured when it changes. */
export function languageExtensions(language: DocumentLanguage, wrap: boolean): Extension {
  if (language === 'json') return [json(), codeFolding(), foldGutter(), syntaxHighlighting(valueHighlight)];
  // JSON stays on its lines (they are short and its layout matters); text wraps when asked.
  return wrap ? EditorView.lineWrapping : [];
}
