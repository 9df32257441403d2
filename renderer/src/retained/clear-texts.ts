/** What the "Clear retained messages" dialog says, as pure functions of the results. */
import type { CommandValues } from '../../../shared/ipc/ipc-contract';

const count = (n: number): string => n.toLocaleString('en-US');
const messages = (n: number): string => `${count(n)} retained ${n === 1 ? 'message' : 'messages'}`;

/** While clearing: "Cleared 3,400 of 10,000", and how many failed so far. */
export function clearingText(total: number, done: number, failed: number): string {
  return `Cleared ${count(done - failed)} of ${count(total)}${failed > 0 ? ` (${count(failed)} failed)` : ''}`;
}

/** The outcome of a clear in one or two sentences. */
export function clearedText(filter: string, total: number, result: CommandValues['retained:clear']): string {
  const { cleared, failures, notSent, ended, remaining } = result;
  const parts: string[] = [];
  if (ended === 'done' && failures.length === 0) parts.push(`Cleared ${messages(cleared)}.`);
  else parts.push(`Cleared ${count(cleared)} of ${messages(total)}.`);
  if (failures.length > 0) parts.push(`${count(failures.length)} could not be cleared (listed below).`);
  if (ended === 'stopped') parts.push(`Stopped: ${count(notSent)} were not sent.`);
  if (ended === 'connection-lost') parts.push(`The connection ended: ${count(notSent)} were not sent.${result.problem ? ` ${result.problem}` : ''}`);
  if (remaining !== null) parts.push(`The broker now holds ${messages(remaining)} matching "${filter}".`);
  return parts.join(' ');
}

/** Notes under the count of a find: incomplete lists, and what the app had not seen. */
export function foundNotes(found: CommandValues['retained:find'], unseen: number): string[] {
  const notes: string[] = [];
  if (found.truncated) notes.push(`More match than the ${count(found.topics.length)} listed: clear these, then find again for the rest.`);
  if (found.ended === 'time-cap') notes.push('The broker was still sending after 20 s: there may be more than listed.');
  if (found.topics.length > 0 && unseen > 0) notes.push(`${count(unseen)} of them ${unseen === 1 ? 'was' : 'were'} not in the topic tree.`);
  return notes;
}
