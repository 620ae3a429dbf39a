/* Settings of the seminar deck (course/instructor/deck.py copies this file beside index.html).
   Keys: arrows, PageDown/PageUp (clickers) and Space move; O or Esc shows the overview; S opens the
   speaker view; F goes full screen. Open index.html?print-pdf and print for a PDF, one slide a page. */
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
  plugins: [RevealNotes]
});
