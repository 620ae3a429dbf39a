"""The course taught to a class on a real JupyterHub: real unix users, PAM, one JupyterLab per user.

deploy/setup-local-hub.sh builds the single-user environment from the system Python and the proxy
from npm (.ci/run runs it first; here it only checks and returns). The test makes five learners and
an instructor as unix users, the hand-in drop box with deploy/setup-handin.sh, a bare git clone of
this repository served to nbgitpuller by file:// URL, and starts deploy/jupyterhub_config.py on
127.0.0.1. Three learners at once, in headless Chromium, log in, follow the link that
`python -m course link` prints, answer a quiz, restart the kernel and see their answer again, and
hand in from a notebook cell; the other two hand in from the command line as their own unix user.
Then every pair of learners is tried both ways, through the file system and through the hub's
URLs; the instructor's report counts each learner once; a second hand-in replaces only its own file.

Skipped with a reason without root (needed to make users) or without Chromium, except under
CI=true, where either is a failure. Users, processes and files it made are removed at the end.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser_lab import CHROMIUM, CHROMIUM_ARGS, chromium_available

pytestmark = pytest.mark.hub

REPO = Path(__file__).resolve().parent.parent
PREFIX = Path(os.environ.get("COURSE_HUB_PREFIX", "/opt/social-media-ethics-course-hub"))
VENV_PY = PREFIX / "venv" / "bin" / "python"
LEARNERS = [f"smeclearner{i}" for i in range(1, 6)]
BROWSER_LEARNERS, CLI_LEARNERS = LEARNERS[:3], LEARNERS[3:]
INSTRUCTOR, STAFF = "smecteacher", "smecstaff"
TARGET = "social-media-ethics-course"
JOURNAL = ".local/share/social-media-ethics-course/journal.json"
QUIZ = "orientation-howto-1"
LAB_ARGS = ("--LabApp.expose_app_in_browser=True --LabApp.news_url= "
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")


def _requirements():
    missing = []
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        missing.append("root (to create unix users and run JupyterHub's PAM login and local spawner)")
    if not chromium_available():
        missing.append("Chromium (apt-get install chromium)")
    if missing:
        reason = "the hub test needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; under CI=true that is a failure")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*cmd, check=True, **kw):
    return subprocess.run(list(cmd), check=check, capture_output=True, text=True, cwd="/", **kw)


def as_user(user: str, *cmd, env: dict | None = None, check=False):
    """Run `cmd` as unix `user` with a clean environment (their own HOME), as that learner would."""
    home = pwd.getpwnam(user).pw_dir
    base = {"HOME": home, "USER": user, "LOGNAME": user, "PATH": f"{PREFIX}/venv/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8", "MPLBACKEND": "Agg"}
    envs = [f"{k}={v}" for k, v in {**base, **(env or {})}.items()]
    return _run("runuser", "-u", user, "--", "env", "-i", *envs, *cmd, check=check)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Timer:
    def __init__(self):
        self.times: dict[str, float] = {}

    @contextmanager
    def __call__(self, name):
        start = time.perf_counter()
        yield
        self.times[name] = time.perf_counter() - start


class Hub:
    """Everything the test made: users, drop box, bare repository, the running hub."""

    def __init__(self, timer: Timer):
        self.timer = timer
        self.tmp = Path(tempfile.mkdtemp(prefix="course-hub-", dir="/tmp"))
        os.chmod(self.tmp, 0o755)
        self.passwords = {u: secrets.token_urlsafe(12) for u in LEARNERS + [INSTRUCTOR]}
        self.handin = self.tmp / "handin"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    # -- set-up ---------------------------------------------------------------------------------
    def set_up(self):
        with self.timer("set-up script (deploy/setup-local-hub.sh)"):
            _run("bash", str(REPO / "deploy" / "setup-local-hub.sh"), env={**os.environ, "PREFIX": str(PREFIX)})
        with self.timer("users, drop box and bare repository"):
            self.remove_users()
            for user, password in self.passwords.items():
                _run("useradd", "-m", "-s", "/bin/bash", user)
                _run("chpasswd", input=f"{user}:{password}\n")
            _run("bash", str(REPO / "deploy" / "setup-handin.sh"), str(self.handin), STAFF, INSTRUCTOR,
                 env={**os.environ, "NO_CONFIG": "1"})
            self.bare = self.tmp / "course.git"
            _run("git", "init", "-q", "--bare", str(self.bare))
            _run("git", "-C", str(REPO), "push", "-q", str(self.bare), "HEAD:refs/heads/main")
            _run("chmod", "-R", "a+rX", str(self.bare))
            # git refuses a repository another user owns ("dubious ownership"); a hub's real course
            # repository is served over https, where this does not arise. Trust only this one.
            for user in LEARNERS:
                entry = pwd.getpwnam(user)
                gitconfig = Path(entry.pw_dir) / ".gitconfig"
                gitconfig.write_text(f"[safe]\n\tdirectory = {self.bare}\n")
                os.chown(gitconfig, entry.pw_uid, entry.pw_gid)
        with self.timer("hub start (healthy)"):
            state = self.tmp / "state"
            env = {**os.environ, "COURSE_HUB_BIND": self.url, "COURSE_HUB_PREFIX": str(PREFIX),
                   "COURSE_HUB_STATE": str(state), "COURSE_HUB_PORTS": f"{_free_port()},{_free_port()}",
                   "COURSE_HUB_USERS": ",".join(LEARNERS + [INSTRUCTOR]), "COURSE_HUB_ADMINS": "",
                   "COURSE_HANDIN_DIR": str(self.handin), "COURSE_HUB_SINGLEUSER_ARGS": LAB_ARGS}
            self.log = open(self.tmp / "hub.log", "w")
            self.process = subprocess.Popen([str(PREFIX / "venv" / "bin" / "jupyterhub"), "-f",
                                             str(REPO / "deploy" / "jupyterhub_config.py")],
                                            cwd=self.tmp, env=env, stdout=self.log, stderr=subprocess.STDOUT)
            deadline = time.time() + 60
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError("JupyterHub exited:\n" + self.log_tail())
                try:
                    urllib.request.urlopen(f"{self.url}/hub/health", timeout=2)
                    break
                except OSError:
                    if time.time() > deadline:
                        raise TimeoutError("JupyterHub did not become healthy:\n" + self.log_tail())
                    time.sleep(0.3)
        self.link = subprocess.run([sys.executable, "-m", "course", "link", "--hub", self.url, "--repo",
                                    f"file://{self.bare}", "--branch", "main"], cwd=REPO, check=True,
                                   capture_output=True, text=True).stdout.strip()

    def log_tail(self) -> str:
        try:
            return (self.tmp / "hub.log").read_text()[-4000:]
        except OSError:
            return ""

    # -- tear-down ------------------------------------------------------------------------------
    def tear_down(self):
        with self.timer("tear-down"):
            if self.process is not None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=30)  # the hub stops the servers it spawned, then exits
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
                self.log.close()
            self.remove_users()
            subprocess.run(["groupdel", STAFF], capture_output=True)
            shutil.rmtree(self.tmp, ignore_errors=True)  # the hub has exited: its sqlite can go

    def remove_users(self):
        for user in LEARNERS + [INSTRUCTOR]:
            try:
                pwd.getpwnam(user)
            except KeyError:
                continue
            # Only processes of the test's own users, each by its id (servers the hub left, if any).
            pids = subprocess.run(["ps", "-u", user, "-o", "pid="], capture_output=True, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), 9)
                except (ProcessLookupError, ValueError):
                    pass
            subprocess.run(["userdel", "-r", "-f", user], capture_output=True)


@pytest.fixture(scope="module")
def hub(request):
    _requirements()
    timer = Timer()
    made = Hub(timer)
    try:
        made.set_up()
        yield made
    finally:
        made.tear_down()
        lines = [f"  {name}: {seconds:.1f} s" for name, seconds in timer.times.items()]
        total = sum(seconds for name, seconds in timer.times.items() if not name.startswith(" "))
        text = "hub test timings:\n" + "\n".join(lines) + f"\n  total: {total:.1f} s"
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled() if capture else contextmanager(lambda: (yield))():
            print("\n" + text, flush=True)


# -- the learners in the browser -----------------------------------------------------------------------
NOTEBOOK_READY = """(name) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(w && w.context && w.context.path.endsWith(name) && w.sessionContext.session
            && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'); }"""
IDLE = """() => { const w = window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  const busy = [...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'));
  return !!k && k.status === 'idle' && !busy; }"""
ADD_CELL = """async (code) => { const app = window.jupyterapp; const nb = app.shell.currentWidget.content;
  nb.activeCellIndex = nb.widgets.length - 1; await app.commands.execute('notebook:insert-cell-below');
  nb.activeCell.model.sharedModel.setSource(code); await app.commands.execute('notebook:run-cell'); }"""


async def _accept_dialogs_until(page, predicate, arg=None, timeout=180):
    """Wait for `predicate`; meanwhile accept a cold server's kernel dialog if one shows."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if await page.evaluate(predicate, arg):
                return
        except Exception:
            pass  # the page is still navigating
        dialog = page.locator(".jp-Dialog .jp-mod-accept")
        if await dialog.count():
            try:
                await dialog.first.click(timeout=2000)
            except Exception:
                pass
        await page.wait_for_timeout(400)
    raise TimeoutError(f"timed out waiting in {page.url}")


def _quiz(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .course-widget:has(input[type=radio])"
                        ":has-text('Check my answer')").first


async def _learner_in_browser(browser, hub: Hub, user: str, choice: int, times: dict) -> dict:
    start = time.perf_counter()
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    await page.goto(hub.link)
    await page.fill("#username_input", user)
    await page.fill("#password_input", hub.passwords[user])
    await page.click("#login_submit")
    await page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=180_000)
    await _accept_dialogs_until(page, NOTEBOOK_READY, "notebooks/00-orientation.ipynb")
    opened = page.url
    times["open"] = time.perf_counter() - start

    await page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    await page.wait_for_timeout(500)
    await _accept_dialogs_until(page, IDLE)
    quiz = _quiz(page)
    await quiz.scroll_into_view_if_needed()
    await quiz.locator("input[type=radio]").nth(choice).check()
    await quiz.locator("button:has-text('Check my answer')").click()
    await quiz.get_by_text("Your answer:").wait_for(timeout=30_000)
    times["answer"] = time.perf_counter() - start - times["open"]

    await page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    await page.locator(".jp-Dialog .jp-mod-accept").click(timeout=30_000)
    await page.wait_for_timeout(1500)
    await _accept_dialogs_until(page, IDLE)
    quiz = _quiz(page)
    await quiz.get_by_text("Your answer:").wait_for(timeout=30_000)
    kept = await quiz.locator("input[type=radio]").nth(choice).is_checked()

    await page.evaluate(ADD_CELL, "course.hand_in()")
    done = page.locator(".jp-OutputArea-output", has_text=re.compile(r"answer\(s\) as learner"))
    await done.first.wait_for(timeout=60_000)
    handed = await done.first.inner_text()
    times["total"] = time.perf_counter() - start
    return {"user": user, "context": context, "page": page, "opened": opened, "kept": kept, "handed": handed}


async def _login_over_http(playwright, hub: Hub, user: str):
    """A learner's hub session without a browser page (the command-line learners' cookies)."""
    request = await playwright.request.new_context(base_url=hub.url)
    await request.get("/hub/login")
    state = await request.storage_state()
    xsrf = next(c["value"] for c in state["cookies"] if c["name"] == "_xsrf")
    response = await request.post(f"/hub/login?_xsrf={xsrf}", form={
        "username": user, "password": hub.passwords[user], "_xsrf": xsrf}, max_redirects=0)
    assert response.status == 302, f"{user} could not log in over HTTP: {response.status}"
    return request


async def _url_isolation(playwright, hub: Hub, sessions: dict) -> list[str]:
    """For every ordered pair of learners: a's hub session gets nothing of b's server. Returns breaches."""
    for user in CLI_LEARNERS:
        sessions[user] = (await _login_over_http(playwright, hub, user))
    breaches, own = [], []
    for a in LEARNERS:
        request = sessions[a]
        for b in LEARNERS:
            for path in (f"/user/{b}/api/contents/{TARGET}/notebooks", f"/user/{b}/files/{JOURNAL}",
                         f"/user/{b}/api/contents/{JOURNAL}?content=1"):
                response = await request.get(hub.url + path)
                body = await response.body()
                got = response.status == 200 and (b"00-orientation" in body or b"answers" in body)
                if a == b and b in BROWSER_LEARNERS and "notebooks" in path:
                    own.append(got)  # the control: a learner does reach their own server this way
                elif a != b and got:
                    breaches.append(f"{a} read {path} of {b}")
    assert own and all(own), "a learner could not reach their own server: the URL check would prove nothing"
    return breaches


async def _browser_part(hub: Hub) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            times = {u: {} for u in BROWSER_LEARNERS}
            start = time.perf_counter()
            results = await asyncio.gather(*(_learner_in_browser(browser, hub, u, i, times[u])
                                             for i, u in enumerate(BROWSER_LEARNERS)))
            wall = time.perf_counter() - start
            sessions = {r["user"]: r["context"].request for r in results}
            start = time.perf_counter()
            breaches = await _url_isolation(playwright, hub, sessions)
            url_time = time.perf_counter() - start
            for user in CLI_LEARNERS:
                await sessions[user].dispose()
            return {"results": [{k: v for k, v in r.items() if k not in ("context", "page")} for r in results],
                    "times": times, "wall": wall, "breaches": breaches, "url_time": url_time}
        finally:
            await browser.close()


# -- the test ----------------------------------------------------------------------------------------
def test_a_class_on_a_real_hub(hub):
    """Three learners in the browser and two on the command line; isolation; the report; re-hand-in."""
    env = {"COURSE_HANDIN_DIR": str(hub.handin)}
    assert "/hub/user-redirect/git-pull?" in hub.link and "00-orientation.ipynb" in hub.link

    with hub.timer("3 learners at once in the browser (log in, nbgitpuller, answer, restart, hand in)"):
        browser = asyncio.run(_browser_part(hub))
    for user in BROWSER_LEARNERS:
        t = browser["times"][user]
        hub.timer.times[f"  {user}: open {t['open']:.1f} s, answer {t['answer']:.1f} s, all"] = t["total"]
    hub.timer.times["URL isolation, 20 ordered pairs x 3 URLs"] = browser["url_time"]
    for result in browser["results"]:
        user = result["user"]
        assert f"/user/{user}/lab/tree/{TARGET}/notebooks/00-orientation.ipynb" in result["opened"]
        assert result["kept"], f"{user}'s answer did not come back after the kernel restart"
        assert "handed in" in result["handed"] and str(hub.handin / f"{user}.json") in result["handed"]
        home = Path(pwd.getpwnam(user).pw_dir)
        assert (home / TARGET / "notebooks" / "00-orientation.ipynb").is_file()  # nbgitpuller's clone
        saved = json.loads((home / JOURNAL).read_text())["answers"][QUIZ]
        assert saved["value"] in "abcdef"
    assert browser["breaches"] == []

    with hub.timer("2 learners hand in from the command line"):
        for i, user in enumerate(CLI_LEARNERS):
            answered = as_user(user, str(VENV_PY), "-c",
                               f"import course; course.quiz({QUIZ!r}).answer({'ab'[i]!r}); "
                               "course.journal().save('orientation-reflection-start', "
                               "{'text': 'my private thoughts', 'share': False})", env=env)
            assert answered.returncode == 0, answered.stderr
            done = as_user(user, str(VENV_PY), "-m", "course", "hand-in", env=env)
            assert done.returncode == 0, done.stderr
            assert f"{user}.json" in done.stdout and "1 private" in done.stdout

    with hub.timer("modes and file-system isolation, 20 ordered pairs"):
        box = hub.handin.stat()
        assert oct(box.st_mode & 0o7777) == oct(0o3753) and box.st_uid == 0
        staff_gid = box.st_gid
        for user in LEARNERS:
            home = Path(pwd.getpwnam(user).pw_dir)
            journal = home / JOURNAL
            assert journal.parent.stat().st_mode & 0o777 == 0o700, f"{user}'s journal folder is not 0700"
            assert journal.stat().st_mode & 0o777 == 0o600, f"{user}'s journal is not 0600"
            handed = hub.handin / f"{user}.json"
            st = handed.stat()
            assert (st.st_mode & 0o777, st.st_uid, st.st_gid) == (0o640, pwd.getpwnam(user).pw_uid, staff_gid)
            assert "my private thoughts" not in handed.read_text()
        breaches = []
        for a in LEARNERS:
            checks = []
            if as_user(a, "ls", str(hub.handin)).returncode == 0:
                breaches.append(f"{a} listed the hand-in folder")
            for b in LEARNERS:
                if a == b:
                    continue
                home = pwd.getpwnam(b).pw_dir
                other = hub.handin / f"{b}.json"
                checks += [(f"read {b}'s journal", f"cat {home}/{JOURNAL}"),
                           (f"listed {b}'s journal folder", f"ls {Path(home, JOURNAL).parent}"),
                           (f"read {b}'s hand-in", f"cat {other}"),
                           (f"overwrote {b}'s hand-in", f"echo x > {other}"),
                           (f"deleted {b}'s hand-in", f"rm -f {other} && test ! -e {other}"),
                           (f"replaced {b}'s hand-in", f"echo x > /tmp/.smec-$$ && mv -f /tmp/.smec-$$ {other}")]
                if b in BROWSER_LEARNERS:
                    # Homes are 0755 by Debian's default; the hub's pre-spawn hook makes a hub user's 0700
                    # (their notebooks, saved with outputs, show their answers). The others never spawned.
                    checks += [(f"listed {b}'s home", f"ls {home}"),
                               (f"read {b}'s notebook", f"cat {home}/{TARGET}/notebooks/00-orientation.ipynb")]
            script = "".join(f'if ( {cmd} ) >/dev/null 2>&1; then echo "BREACH {what}"; fi\n' for what, cmd in checks)
            done = as_user(a, "sh", "-c", script)
            breaches += [f"{a} {line[7:]}" for line in done.stdout.splitlines() if line.startswith("BREACH")]
            subprocess.run(["sh", "-c", "rm -f /tmp/.smec-*"], capture_output=True)
        assert breaches == []

    with hub.timer("instructor's report over the hand-in folder"):
        report = Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / "class-report"
        made = as_user(INSTRUCTOR, str(VENV_PY), "-m", "course", "seminar", "report", str(hub.handin),
                       "-o", str(report), "--no-progress")
        assert made.returncode == 0, made.stdout + made.stderr
        assert json.loads((report / "summary.json").read_text())["learners"] == len(LEARNERS)
        listed = as_user(INSTRUCTOR, str(VENV_PY), "-m", "course", "seminar", "handins", env=env)
        assert listed.stdout.split() == sorted(LEARNERS), listed.stderr
        own = Path(pwd.getpwnam(LEARNERS[0]).pw_dir) / "try-report"
        denied = as_user(LEARNERS[0], str(VENV_PY), "-m", "course", "seminar", "report", str(hub.handin),
                         "-o", str(own), "--no-progress")
        assert denied.returncode != 0 and "Permission denied" in denied.stderr  # a learner cannot list it
        assert json.loads((own / "summary.json").read_text())["learners"] == 0

    with hub.timer("re-hand-in replaces only one's own file"):
        before = {p.name: _digest(p) for p in hub.handin.glob("*.json")}
        user = CLI_LEARNERS[0]
        again = as_user(user, str(VENV_PY), "-c", "import course; course.quiz('orientation-howto-2').answer('a'); "
                        "print(course.hand_in())", env=env)
        assert again.returncode == 0 and "replaced your earlier hand-in" in again.stdout, again.stderr
        after = {p.name: _digest(p) for p in hub.handin.glob("*.json")}
        assert set(after) == set(before) == {f"{u}.json" for u in LEARNERS}
        assert [n for n in after if after[n] != before[n]] == [f"{user}.json"]
        assert sorted(p.name for p in hub.handin.iterdir()) == sorted(after)  # no temporary left behind
        made = as_user(INSTRUCTOR, str(VENV_PY), "-m", "course", "seminar", "report", str(hub.handin),
                       "-o", str(report), "--no-progress")
        assert json.loads((report / "summary.json").read_text())["learners"] == len(LEARNERS)


LEARNER_NOTE = "My own note: ask the dean's office what the school's policy says."


def test_a_course_update_keeps_what_the_learner_changed(hub):
    """The instructor pushes an update and a learner pulls it: their edits, files and journal stay.

    The pull runs nbgitpuller's own GitPuller as the learner, on the clone the link made in the first
    test (the link's handler runs the same class). Where both changed the same place, the learner's
    version wins, which the README tells instructors; a notebook the learner deleted comes back.
    """
    import nbformat

    user = BROWSER_LEARNERS[0]
    home = Path(pwd.getpwnam(user).pw_dir)
    clone, journal = home / TARGET, home / JOURNAL
    notebook, mine = clone / "notebooks" / "00-orientation.ipynb", clone / "notebooks" / "my-notes.md"
    if not notebook.is_file():
        pytest.skip(f"needs the clone and journal that test_a_class_on_a_real_hub leaves in {user}'s home")
    journal_before = _digest(journal)

    # The learner, as themselves: a note at the end of notebook 00 (written as JupyterLab writes) and a file.
    edit = as_user(user, str(VENV_PY), "-c", (
        "import nbformat, pathlib\n"
        f"nb = nbformat.read({str(notebook)!r}, as_version=4)\n"
        f"nb.cells.append(nbformat.v4.new_markdown_cell({LEARNER_NOTE!r}, id='learner-note'))\n"
        f"nbformat.write(nb, {str(notebook)!r})\n"
        f"pathlib.Path({str(mine)!r}).write_text('my notes\\n')\n"))
    assert edit.returncode == 0, edit.stderr

    # The instructor: a wording fix early in notebook 00, a cell added at its end, and a new file.
    work = hub.tmp / "instructor-clone"
    _run("git", "clone", "-q", "-b", "main", str(hub.bare), str(work))
    upstream = nbformat.read(work / "notebooks" / "00-orientation.ipynb", as_version=4)
    fixed = next(c for c in upstream.cells if c.cell_type == "markdown")
    fixed.source += "\n\n(Updated by your instructor.)"
    upstream.cells.append(nbformat.v4.new_markdown_cell("An addendum from your instructor.", id="instructor-addendum"))
    nbformat.write(upstream, work / "notebooks" / "00-orientation.ipynb")
    (work / "UPDATE.md").write_text("What changed in this update of the course.\n")
    _run("git", "-C", str(work), "add", "-A")
    _run("git", "-C", str(work), "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org",
         "commit", "-q", "-m", "Course update")
    _run("git", "-C", str(work), "push", "-q", "origin", "HEAD:main")
    _run("chmod", "-R", "a+rX", str(hub.bare))

    def pull():
        done = as_user(user, str(VENV_PY), "-m", "nbgitpuller.pull", f"file://{hub.bare}", "main", str(clone))
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    with hub.timer("a course update pulled over a learner's edits"):
        pull()
    merged = nbformat.read(notebook, as_version=4)
    nbformat.validate(merged)  # still a notebook JupyterLab opens
    sources = [c.source for c in merged.cells]
    assert LEARNER_NOTE in sources, "the learner's own cell was lost"
    assert fixed.source in sources, "the instructor's fix did not arrive"
    assert "An addendum from your instructor." not in sources  # same place as the learner's note: theirs wins
    assert mine.read_text() == "my notes\n" and (clone / "UPDATE.md").is_file()
    assert _digest(journal) == journal_before, "a pull touched the journal"  # it lives outside the clone: kept so

    deleted = clone / "notebooks" / "01-benefits.ipynb"
    assert as_user(user, "rm", str(deleted)).returncode == 0
    pull()
    assert deleted.read_bytes() == (work / "notebooks" / "01-benefits.ipynb").read_bytes()
