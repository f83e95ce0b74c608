// Whether a query holds nothing to search: what the server drops from it (src/server/search-params.ts
// isBlank): spaces, control characters, and the invisible characters of src/analysis/invisible.ts
// (ideographic variation selectors, a surrogate pair each, included).
// The server refuses such a query with a 400, so the page shows its introduction instead of asking.

// eslint-disable-next-line no-control-regex
const NOTHING = /[\s\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f\ufeff]|\udb40[\udd00-\uddef]/g

/** @param {string} q */
export function isBlank(q) {
  return q.replace(NOTHING, '') === ''
}
