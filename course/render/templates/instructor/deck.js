/* Settings of the seminar deck (course/instructor/deck.py copies this file beside index.html).
   Keys: arrows, PageDown/PageUp (clickers) and Space move; O or Esc shows the overview; F goes full
   screen. Open index.html?print-pdf and print for a PDF, one slide a page; ?showNotes=true puts the
   speaker notes on the slides. The notes plugin's speaker window (S) writes inline scripts and
   frames into a blank window, which the deck's CSP blocks, so S is switched off rather than
   opening an empty window; the notes stay in the slides (aside.notes) and in handout.html. */
Reveal.initialize({
  hash: true,                  /* the URL names the slide (#/3), so a reload keeps your place */
  slideNumber: "c/t",
  showSlideNumber: "all",      /* on screen and in print */
  controls: true,
  progress: true,
  center: false,
  transition: "none",
  width: 1280,
  height: 720,
  margin: 0.04,
  pdfSeparateFragments: false, /* a case's stages print together on its one page */
  pdfMaxPagesPerSlide: 1,
  keyboard: { 83: null },     /* S: see above */
  plugins: [RevealNotes]       /* reads aside.notes for showNotes and print */
});
