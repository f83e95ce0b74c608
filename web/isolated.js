// Text from a post or the query set inside the page's own words, isolated (FSI … PDI): a right-to-left
// override in it must not reverse the sentence around it.

/** @param {string} text */
export function isolated(text) {
  return `\u2068${text}\u2069`
}
