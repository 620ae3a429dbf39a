{#- What ipywidgets cannot say from Python, added to a live course widget in the browser.
   Runs from the onload of the widget's own stylesheet (items/macros.html, widget_style), so it needs no
   JupyterLab extension and works wherever the widget renders. It is an HTML attribute: no double quotes.
   - data-lm-suppress-shortcuts on the widget: Lumino, and so JupyterLab, ignores keys pressed inside it
     (arrow keys, Enter, Space stay with the widget instead of moving between cells);
   - the widget is a group named by its heading and prompt; elements with class course-live are polite
     live regions; each set of radio buttons is a named radiogroup with one tab stop;
   - arrow keys (and Home/End) move through a radio group and choose, as in any native radio group;
   - when a control that had focus is replaced (a case's next stage), focus moves to the new controls. #}
var keep = function (style, tries) {
  var root = style.closest('.course-widget');
  if (!root) { if (tries < 100) { setTimeout(keep, 100, style, tries + 1); } return; }
  if (root.courseKeys) { return; }
  root.courseKeys = true;
  root.setAttribute('data-lm-suppress-shortcuts', 'true');
  root.setAttribute('role', 'group');
  var header = style.parentNode, heading = header.querySelector('h4'), first = header.querySelector('p');
  var parts = [heading, first].filter(Boolean).map(function (el) { return el.textContent.trim(); });
  var name = parts.join(/[?!.:]$/.test(parts[0]) ? ' ' : ': ');
  root.setAttribute('aria-label', name);
  var focusable = 'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled])';
  var last = null, lost = false, added = [], settle = null;
  var refocus = function () {
    var best = null;
    added.forEach(function (node) {
      if (!node.isConnected || !node.matches) { return; }
      var t = node.matches(focusable) ? node : node.querySelector(focusable);
      if (t && (!best || (t.compareDocumentPosition(best) & 4))) { best = t; }
    });
    added = []; lost = false;
    if (best) { best.focus(); } else { root.tabIndex = -1; root.focus(); }
  };
  var label = function (records) {
    root.querySelectorAll('.course-live').forEach(function (el) {
      el.setAttribute('role', 'status'); el.setAttribute('aria-live', 'polite');
    });
    root.querySelectorAll('.widget-radio-box').forEach(function (box) {
      var own = box.parentNode.querySelector('.widget-label');
      box.setAttribute('role', 'radiogroup');
      box.setAttribute('aria-label', (own && own.textContent.trim()) || name);
      box.courseName = box.courseName || 'course-radio-' + Math.random().toString(36).slice(2);
      box.querySelectorAll('input[type=radio]').forEach(function (input) { input.name = box.courseName; });
    });
    if (last && !last.isConnected && !root.contains(document.activeElement)) { lost = true; last = null; }
    if (!lost || !records) { return; }
    records.forEach(function (r) { added.push.apply(added, r.addedNodes); });
    /* the new controls arrive view by view: wait until they have settled, then focus the first */
    clearTimeout(settle);
    settle = setTimeout(refocus, 300);
  };
  label(null);
  new MutationObserver(label).observe(root, {childList: true, subtree: true});
  root.addEventListener('focusin', function (e) { last = e.target; lost = false; });
  root.addEventListener('keydown', function (e) {
    var t = e.target, step = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1}[e.key];
    if (t.type !== 'radio' || !(step || e.key === 'Home' || e.key === 'End') || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var radios = Array.prototype.slice.call(t.closest('.widget-radio-box').querySelectorAll('input[type=radio]'));
    var i = e.key === 'Home' ? 0 : e.key === 'End' ? radios.length - 1 : radios.indexOf(t) + step;
    var next = radios[(i + radios.length) % radios.length];
    e.preventDefault();
    next.focus();
    if (!next.checked) { next.click(); }
  });
};
keep(this, 0);
