"""JupyterHub for one server with local unix users: the set-up tests/test_hub.py runs.

Learners log in with their unix password (PAM); each one's JupyterLab runs as that user
(LocalProcessSpawner), from the environment deploy/setup-local-hub.sh builds, in their own home.
Their journal, cache and exports live there (folders 0700, files 0600). The only shared path is
the hand-in drop box (deploy/setup-handin.sh), passed to every server as $COURSE_HANDIN_DIR.

Run as root:  jupyterhub -f deploy/jupyterhub_config.py
Then give learners the link from `python -m course link --hub https://your.hub --repo <course repo>`.

Each setting below can be changed by an environment variable of the same spirit, so the test and a
real server share this one file:
  COURSE_HUB_BIND      public address (default http://127.0.0.1:8000; put TLS in front for a class)
  COURSE_HUB_PORTS     "HUB_API,PROXY_API" internal ports on 127.0.0.1 (default 8081,8001)
  COURSE_HUB_PREFIX    where setup-local-hub.sh installed (default /opt/social-media-ethics-course-hub)
  COURSE_HUB_STATE     folder for the hub's database and secrets (default /var/lib/social-media-ethics-hub)
  COURSE_HUB_USERS     comma-separated unix users allowed to log in (learners and instructors)
  COURSE_HUB_ADMINS    comma-separated hub admins (may be empty: instructors need no hub admin rights)
  COURSE_HANDIN_DIR    the hand-in drop box, given to every learner's server
  COURSE_HUB_SINGLEUSER_ARGS  extra options for each JupyterLab (the test uses it to reach the app)
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines it when it loads this file)


def _list(name):
    return {u.strip() for u in os.environ.get(name, "").split(",") if u.strip()}


prefix = Path(os.environ.get("COURSE_HUB_PREFIX", "/opt/social-media-ethics-course-hub"))
state = Path(os.environ.get("COURSE_HUB_STATE", "/var/lib/social-media-ethics-hub"))
state.mkdir(mode=0o700, parents=True, exist_ok=True)
hub_port, proxy_port = (int(p) for p in os.environ.get("COURSE_HUB_PORTS", "8081,8001").split(","))

c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_BIND", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_port}"
c.ConfigurableHTTPProxy.command = [str(prefix / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")

# Real users, really apart: PAM passwords, one process per user running as that user.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = _list("COURSE_HUB_USERS")
c.Authenticator.admin_users = _list("COURSE_HUB_ADMINS")
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(prefix / "venv" / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
# Nothing else is shared: no COURSE_HOME or COURSE_CACHE_DIR, so each learner's own home folders are used.
env = {"PATH": f"{prefix / 'venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin"}
if os.environ.get("COURSE_HANDIN_DIR"):
    env["COURSE_HANDIN_DIR"] = os.environ["COURSE_HANDIN_DIR"]
c.Spawner.environment = env
# Extra single-user options, e.g. the test's "--LabApp.expose_app_in_browser=True".
c.Spawner.args = os.environ.get("COURSE_HUB_SINGLEUSER_ARGS", "").split()


def _private_home(spawner):
    """A learner's home holds notebooks saved with their answers: nobody else may read it.

    Debian's useradd makes homes 0755 unless HOME_MODE is set in /etc/login.defs.
    """
    import pwd

    home = pwd.getpwnam(spawner.user.name).pw_dir
    if os.path.isdir(home):
        os.chmod(home, 0o700)


c.Spawner.pre_spawn_hook = _private_home
