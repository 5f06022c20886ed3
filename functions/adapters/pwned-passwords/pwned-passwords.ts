// Adapter: the BreachedPasswords port on Pwned Passwords' range API (k-anonymity). The password's SHA-1 is computed
// here and only its first 5 hex digits leave the function; the API answers every suffix it holds under that prefix
// (about 800 to 1,000), padded with made-up suffixes of count 0 (`Add-Padding`) so that not even the answer's size
// tells which prefix was asked, and the suffix is looked for here. Node's own fetch and crypto: no dependency.
// https://haveibeenpwned.com/API/v3#SearchingPwnedPasswordsByRange
import { createHash } from 'node:crypto';
import type { BreachLookupFailure, BreachVerdict, BreachedPasswords } from '../../domain/breached-passwords';

/** How many hex digits of the SHA-1 are sent: the range API's prefix. */
export const RANGE_PREFIX_LENGTH = 5;

/** Names this service to the API, which asks every client for a user agent. */
export const BREACH_LOOKUP_USER_AGENT = 'adminpass-breached-password-check';

/**
 * The most a range answer may hold, decompressed. A padded answer is 800 to 1,000 lines of about 40 bytes, some
 * 40 KB; anything far larger is not the range API (a captive portal, a misdirected URL) and is not read to its end.
 */
export const MAX_RANGE_ANSWER_BYTES = 256 * 1024;

// A line of the range format: the 35 hex digits that follow the prefix, a colon, the number of times seen.
const RANGE_LINE = /^([0-9A-Fa-f]{35}):(\d+)$/;

export interface PwnedPasswordsOptions {
  /** The API's base URL, without a trailing slash: https://api.pwnedpasswords.com, or a stand-in in tests. */
  readonly baseUrl: string;
  /** One lookup's whole time, from the request to the last byte of the answer, retry included. */
  readonly timeoutMs: number;
}

/** SHA-1 of the string's UTF-8 bytes in upper-case hex: how Pwned Passwords keys its corpus. */
export const sha1Hex = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();

/**
 * How many times the range answer says the suffix was seen: 0 when it is absent, or present only as padding (count
 * 0); undefined when the body holds no line of the range format at all. Lines end in CRLF; the last may not.
 */
export function timesSeen(body: string, suffix: string): number | undefined {
  let wellFormed = false;
  for (const line of body.split(/\r?\n/)) {
    const match = RANGE_LINE.exec(line.trim());
    if (match === null) continue;
    wellFormed = true;
    if (match[1]!.toUpperCase() === suffix) return Number(match[2]);
  }
  return wellFormed ? 0 : undefined;
}

/** The body as text, or undefined as soon as it passes `limit` bytes (the rest is not read). */
async function boundedText(response: Response, limit: number): Promise<string | undefined> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) return undefined; // leaving the loop cancels the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The port on the range API. A lookup never throws: no answer within `timeoutMs`, an answer other than 200, a
 * broken connection, an oversized or unreadable body are each an `unavailable` verdict with its reason.
 */
export function createPwnedPasswords(options: PwnedPasswordsOptions): BreachedPasswords {
  return {
    async check(password: string): Promise<BreachVerdict> {
      const hash = sha1Hex(password);
      const url = `${options.baseUrl}/range/${hash.slice(0, RANGE_PREFIX_LENGTH)}`;
      const suffix = hash.slice(RANGE_PREFIX_LENGTH);
      const started = performance.now();
      // One deadline for the whole lookup, the retry and the reading of the body included.
      const signal = AbortSignal.timeout(options.timeoutMs);
      const unavailable = (reason: BreachLookupFailure, status?: number): BreachVerdict => ({
        kind: 'unavailable',
        reason,
        ...(status === undefined ? {} : { status }),
        elapsedMs: Math.round(performance.now() - started),
      });
      // Node's fetch (undici) keeps the connection alive between the invocations of a container.
      const request = () =>
        fetch(url, {
          headers: { 'Add-Padding': 'true', 'User-Agent': BREACH_LOOKUP_USER_AGENT, Accept: 'text/plain' },
          // The API never redirects; a redirect is someone else's answer.
          redirect: 'error',
          signal,
        });
      try {
        let response: Response;
        try {
          response = await request();
        } catch (error) {
          // A kept-alive connection the far end closed while the container was frozen fails at once: one retry on a
          // fresh one, within the same deadline. A timeout is not retried.
          if (signal.aborted) throw error;
          response = await request();
        }
        if (response.status !== 200) {
          await response.body?.cancel();
          return unavailable('status', response.status);
        }
        const body = await boundedText(response, MAX_RANGE_ANSWER_BYTES);
        if (body === undefined) return unavailable('too-large');
        const count = timesSeen(body, suffix);
        if (count === undefined) return unavailable('malformed');
        return count > 0 ? { kind: 'breached', count } : { kind: 'not-found' };
      } catch {
        // The deadline's signal says whether it passed, whatever realm the error comes from.
        return unavailable(signal.aborted ? 'timeout' : 'network');
      }
    },
  };
}
