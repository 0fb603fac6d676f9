/**
 * When to propose audio-only: the server tells each page its own link's score every ~5 s
 * (`media:link`, 0–10, the worst of what it sends and receives). One poor report is a hiccup;
 * a link that stays poor for three reports in a row (~15 s) is one where video stalls the
 * voice, and the page proposes to drop video. "Not now" holds until the link has been fine
 * again for a while, so a member who declined is not nagged every few seconds.
 */

/** Below this score a link is poor (the chair's console uses the same word: venueQuality.ts). */
export const POOR_BELOW = 5;
/** Poor reports in a row before the page proposes audio-only. */
export const POOR_REPORTS_TO_PROPOSE = 3;
/** Fine reports in a row after which a proposal is withdrawn and a "not now" forgotten. */
export const FINE_REPORTS_TO_RECOVER = 3;

/** What the page remembers of its link. */
export type WeakLink = {
  /** Poor reports in a row. */
  poor: number;
  /** Fine reports in a row. */
  fine: number;
  /** The page shows the proposal now. */
  proposed: boolean;
  /** The participant said "not now" and the link has not recovered since. */
  declined: boolean;
};

/** Before any report. */
export const NO_WEAK_LINK: WeakLink = { poor: 0, fine: 0, proposed: false, declined: false };

/**
 * The state after one `media:link` report. `audioOnly`: already audio-only, nothing to propose.
 * A null score (nothing measured yet) changes nothing.
 */
export function afterLinkReport(s: WeakLink, score: number | null, audioOnly: boolean): WeakLink {
  if (score === null) return s;
  const poor = score < POOR_BELOW ? s.poor + 1 : 0;
  const fine = score < POOR_BELOW ? 0 : s.fine + 1;
  const recovered = fine >= FINE_REPORTS_TO_RECOVER;
  const declined = s.declined && !recovered;
  const proposed = !audioOnly && !declined && (s.proposed ? !recovered : poor >= POOR_REPORTS_TO_PROPOSE);
  return { poor, fine, proposed, declined };
}

/** The participant answered the proposal: "not now" (declined) or switched to audio-only. */
export function afterAnswer(s: WeakLink, declined: boolean): WeakLink {
  return { ...s, proposed: false, declined: s.declined || declined };
}
