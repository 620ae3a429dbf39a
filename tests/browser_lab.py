"""Drive JupyterLab in Debian's headless Chromium with Playwright (shared by the test and the benchmark).

A `LabSession` starts JupyterLab on a free loopback port with a temporary root folder (a copy of
the notebooks), temporary settings and runtime folders and a temporary journal, then opens
notebooks in Chromium the way a learner would. Nothing here downloads a browser: it uses
/usr/bin/chromium (or $COURSE_CHROMIUM).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = REPO / "artifacts" / "screenshots"


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabSession:
    """A private JupyterLab server plus a Chromium page, torn down on exit."""

    def __init__(self, notebooks: list[Path] | None = None, course_settings: bool = True, browser=None):
        """`course_settings=False` starts JupyterLab without the course's settings (jupyter/), as a control;
        `browser` reuses another session's Chromium (Playwright's sync API runs one per thread)."""
        self.course_settings = course_settings
        self._shared_browser = browser
        self.tmp = Path(tempfile.mkdtemp(prefix="course-lab-"))
        self.root = self.tmp / "root"
        self.root.mkdir()
        for path in notebooks if notebooks is not None else sorted((REPO / "notebooks").glob("*.ipynb")):
            shutil.copy(path, self.root / path.name)
        self.home = self.tmp / "journal"
        self.port = _free_port()
        self.server = None
        self._playwright = None
        self.browser = None
        self.page = None

    def __enter__(self):
        env = {**os.environ, "COURSE_HOME": str(self.home), "JUPYTER_CONFIG_DIR": str(self.tmp / "config"),
               "JUPYTER_RUNTIME_DIR": str(self.tmp / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(self.tmp / "settings"),
               "JUPYTERLAB_WORKSPACES_DIR": str(self.tmp / "workspaces")}
        # The course's JupyterLab settings, exactly as `make lab` uses them (no news prompt, see jupyter/).
        env.pop("JUPYTER_CONFIG_PATH", None)
        if self.course_settings:
            env["JUPYTER_CONFIG_PATH"] = str(REPO / "jupyter")
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={self.port}", "--ip=127.0.0.1",
                   f"--ServerApp.root_dir={self.root}", "--IdentityProvider.token=", "--ServerApp.password=",
                   "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=True",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        # Render every cell: with JupyterLab's windowing, cells off screen are not in the page, and a widget
        # that failed to render there could not be seen by the checks below.
        notebook_settings = self.tmp / "settings" / "@jupyterlab" / "notebook-extension"
        notebook_settings.mkdir(parents=True)
        (notebook_settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
        self.log = open(self.tmp / "lab.log", "w")
        self.server = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_for_server()
        if self._shared_browser is not None:
            self.page = self._shared_browser.new_page(viewport={"width": 1400, "height": 1000})
            return self
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        self.page = self.browser.new_page(viewport={"width": 1400, "height": 1000})
        return self

    def _wait_for_server(self, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError("JupyterLab exited: " + (self.tmp / "lab.log").read_text()[-2000:])
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/status", timeout=2)
                return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError("JupyterLab did not start")

    def __exit__(self, *exc):
        for closer in (lambda: self._shared_browser and self.page and self.page.close(),
                       lambda: self.browser and self.browser.close(), lambda: self._playwright and self._playwright.stop()):
            try:
                closer()
            except Exception:
                pass
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- learner actions ---------------------------------------------------------------------------
    def open(self, name: str):
        # ?reset: start from an empty workspace, so the previous notebook's tab is not restored and made current.
        self.page.goto(f"http://127.0.0.1:{self.port}/lab/tree/{name}?reset")
        self.page.wait_for_function(
            "(name) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return w && w.context && w.context.path === name && w.sessionContext.session"
            " && w.sessionContext.session.kernel; }", arg=name, timeout=120_000)
        self.wait_idle()

    def command(self, name: str):
        """Start a JupyterLab command without awaiting it: some (restart) wait for a dialog we answer next."""
        self.page.evaluate("(name) => { window.jupyterapp.commands.execute(name); }", name)

    def wait_idle(self, timeout=300):
        """Wait until no cell is queued or running and the kernel is idle."""
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext.session && w.sessionContext.session.kernel;"
            " const busy = [...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'));"
            " return k && k.status === 'idle' && !busy; }", timeout=timeout * 1000, polling=500)

    def run_all(self):
        self.command("notebook:run-all-cells")
        self.page.wait_for_timeout(500)
        self.wait_idle()
        self.page.wait_for_timeout(1000)  # let the last widget views render

    def restart_and_run_all(self):
        self.command("notebook:restart-run-all")
        self.page.locator(".jp-Dialog .jp-mod-accept").click(timeout=30_000)
        self.page.wait_for_timeout(1500)
        self.wait_idle()
        self.page.wait_for_timeout(1500)

    def problems(self) -> list[str]:
        """What a learner would see as broken: unrendered widgets, missing models, error outputs."""
        found = []
        body = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").inner_text()
        for text in ("Loading widget...", "model not found", "Error displaying widget", "Traceback"):
            if text in body:
                found.append(text)
        errors = self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) "
                                   "[data-mime-type='application/vnd.jupyter.stderr']").count()
        if errors:
            found.append(f"{errors} error/stderr output(s)")
        expected, rendered = self.widget_outputs()
        if rendered < expected:
            found.append(f"{expected - rendered} of {expected} widget output(s) did not render as widgets")
        return found

    def widget_outputs(self) -> tuple[int, int]:
        """(outputs in the notebook model that carry a widget view, outputs shown as a live widget).

        JupyterLab shows a widget whose model is missing as its text/plain fallback, with no error
        text, so only this comparison catches a widget that did not render.
        """
        return tuple(self.page.evaluate("""() => {
            const panel = window.jupyterapp.shell.currentWidget;
            let expected = 0;
            for (const cell of panel.content.model.cells) {
              if (cell.type !== 'code') continue;
              for (let i = 0; i < cell.outputs.length; i++) {
                const data = cell.outputs.get(i).data || {};
                if (data['application/vnd.jupyter.widget-view+json']) expected++;
              }
            }
            // A live widget view is an output whose own child is the widget's element.
            const outputs = panel.node.querySelectorAll('.jp-OutputArea-output');
            const rendered = [...outputs].filter(o => o.querySelector(':scope > .jupyter-widgets')
              && !o.textContent.includes('Loading widget')).length;
            return [expected, rendered];
        }"""))

    def widget_count(self) -> int:
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets.course-widget").count()

    def screenshot(self, name: str):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def benchmark_run_all() -> dict:
    """Open-and-run-all of the biggest notebook vs an empty notebook, in the same browser session."""
    import nbformat

    biggest = max((REPO / "notebooks").glob("*.ipynb"), key=lambda p: len(nbformat.read(p, 4).cells))
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.metadata = nbformat.read(biggest, 4).metadata
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nbformat.write(nb, empty)
        with LabSession([biggest, empty]) as lab:
            times = {}
            for name in (empty.name, biggest.name, empty.name, biggest.name):
                t = time.perf_counter()
                lab.open(name)
                lab.run_all()
                times.setdefault(name, []).append(time.perf_counter() - t)
            best = {k: min(v) for k, v in times.items()}
    ratio = best[biggest.name] / best[empty.name]
    print(f"JupyterLab open + run all: {biggest.stem} {best[biggest.name]:.1f} s vs empty notebook "
          f"{best[empty.name]:.1f} s; ratio {ratio:.2f}x")
    return {"lab_biggest_s": best[biggest.name], "lab_empty_s": best[empty.name], "lab_ratio": ratio}


# -- accessibility checks (shared by tests/test_accessibility.py) ------------------------------------------
AXE_VERSION = "4.14.1"  # npm's axe-core; installed on demand into the git-ignored .cache/npm
AXE_DIR = REPO / ".cache" / "npm"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> Path | None:
    """axe.min.js, fetched with npm (`npm install --prefix .cache/npm axe-core@AXE_VERSION`) if missing."""
    if not AXE_JS.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                        f"axe-core@{AXE_VERSION}"], check=False, timeout=300)
    return AXE_JS if AXE_JS.exists() else None


# axe-core's result, cut down to what a report needs: rule, impact, and where.
_AXE_RUN = """async ([selector, tags]) => {
    const found = [];
    const targets = selector ? [...document.querySelectorAll(selector)] : [document];
    for (const target of targets) {
      const result = await axe.run(target, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
      for (const v of result.violations)
        for (const node of v.nodes)
          found.push(`${v.id} (${v.impact}): ${node.target.join(' ')}: ${node.failureSummary.split('\\n').slice(0, 2).join(' ')}`);
    }
    return [targets.length, found];
}"""

# Elements inside a course widget whose content is wider than their box (cut off, or needing a scrollbar).
_CLIPPED = """(scope) => {
    const found = [];
    for (const widget of document.querySelectorAll(scope)) {
      for (const el of [widget, ...widget.querySelectorAll('*')]) {
        if (!el.getClientRects().length || el.tagName === 'STYLE') continue;
        if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
          const text = (el.innerText || el.value || '').trim().slice(0, 60);
          found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: content ${el.scrollWidth}px`
                     + ` in a ${el.clientWidth}px box ("${text}")`);
        }
      }
    }
    return found;
}"""

CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def axe_violations(page, selector: str | None) -> tuple[int, list[str]]:
    """(elements scanned, violations of WCAG 2.0/2.1 A and AA) in each element matching `selector`, or the page."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    return tuple(page.evaluate(_AXE_RUN, [selector, WCAG_AA]))


def clipped(page, scope: str = f"{CURRENT} .course-widget") -> list[str]:
    return page.evaluate(_CLIPPED, scope)
