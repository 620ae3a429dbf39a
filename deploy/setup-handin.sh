#!/usr/bin/env bash
# Make the course's hand-in folder a drop box on a server with local users (run as root):
#
#   deploy/setup-handin.sh FOLDER GROUP [INSTRUCTOR ...]
#   e.g. deploy/setup-handin.sh /srv/course-handin course-staff dr-lee
#
# The folder: owner root, group GROUP (the instructors), mode 3753 =
#   sticky (1000)  only a file's owner can replace or delete it: a learner cannot touch another's hand-in;
#   setgid (2000)  every new file gets the group GROUP, so the instructors can read it;
#   rwx for root, r-x for GROUP (list and read, but not delete or change anyone's hand-in),
#   -wx for everyone else: learners can create their own file but cannot list the folder.
# Each learner writes <login>.json there as mode 0640 (python -m course hand-in, or course.hand_in()),
# owned by themselves with the group GROUP: readable by the instructors, not by other learners.
# The course finds the folder through $COURSE_HANDIN_DIR (the hub's config sets it for every server)
# or `handin_dir` in /etc/social-media-ethics-course/config.toml, which this script writes unless
# NO_CONFIG=1. Safe to run again.
set -euo pipefail
if [ "$#" -lt 2 ]; then
  echo "usage: $0 FOLDER GROUP [INSTRUCTOR ...]   (as root)" >&2
  exit 2
fi
folder="$1"; group="$2"; shift 2
case "$folder" in /*) ;; *) echo "setup-handin: FOLDER must be an absolute path" >&2; exit 2;; esac
[ "$(id -u)" -eq 0 ] || { echo "setup-handin: run as root" >&2; exit 1; }

getent group "$group" >/dev/null || groupadd --system "$group"
for instructor in "$@"; do
  usermod -a -G "$group" "$instructor"
done
mkdir -p "$folder"
chown root:"$group" "$folder"
chmod 3753 "$folder"
# Learners must be able to reach the folder: every parent needs x for others.
parent="$(dirname "$folder")"
while [ "$parent" != "/" ]; do
  chmod o+x "$parent"
  parent="$(dirname "$parent")"
done
if [ "${NO_CONFIG:-0}" != "1" ]; then
  mkdir -p /etc/social-media-ethics-course
  printf '# Written by deploy/setup-handin.sh: where `python -m course hand-in` puts learners'"'"' exports.\nhandin_dir = "%s"\n' \
    "$folder" > /etc/social-media-ethics-course/config.toml
  chmod 0644 /etc/social-media-ethics-course/config.toml
fi
echo "setup-handin: $folder is a drop box for group $group (mode $(stat -c %a "$folder"))"
