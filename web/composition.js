// Whether an input method is composing in the search box: pinyin typed and not yet turned into
// characters. Meanwhile app.js does not search and suggest.js does not suggest.
//
// compositionstart and compositionend mark a composition, but Chromium drops one without a
// compositionend when the box's value is replaced under it (the field's ✕ pressed, Back): every input
// event says afresh whether one is going on, so the box does not stay deaf to typing and Enter.
// Imported before app.js and suggest.js add their listeners, so theirs see it already updated.

const box = /** @type {HTMLInputElement} */ (document.getElementById('q'))
let composing = false

box.addEventListener('compositionstart', () => {
  composing = true
})
box.addEventListener('compositionend', () => {
  composing = false
})
box.addEventListener('input', (event) => {
  // The ✕'s input event is a plain Event, without isComposing: no composition either.
  composing = /** @type {InputEvent} */ (event).isComposing === true
})

export function isComposing() {
  return composing
}
