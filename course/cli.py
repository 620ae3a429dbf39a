"""The `course` command line (`python -m course ...`): content checks, notebooks, exports, seminar tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m course",
                                     description="Social media ethics for medical students: course tools.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate all course content against its schemas")
    check.add_argument("directory", nargs="?", help="readings folder to check (default: the course's own)")

    build = commands.add_parser("build-notebooks", help="execute the notebooks from their sources and store outputs")
    build.add_argument("-o", "--out", help="folder to write the notebooks to (default: notebooks/)")
    build.add_argument("units", nargs="*", help="only these units (ids or numbers, e.g. 01)")

    commands.add_parser("compile-templates",
                        help="compile every page template into the package, so fresh kernels skip that step")

    export = commands.add_parser("export", help="export your journal (this is the only way answers leave the machine)")
    export.add_argument("--format", choices=("md", "html", "json"), default="json")
    export.add_argument("-o", "--output", required=True,
                        help="file to write, or - for standard output; an existing file is kept unless --force")
    export.add_argument("--force", action="store_true", help="replace the output file if it exists (a regular file only)")
    export.add_argument("--name", help="add your name (left out unless you ask)")
    export.add_argument("--include-private", action="store_true",
                        help="json only: include reflections you did not choose to share (a personal backup)")
    handin = commands.add_parser("hand-in", help="hand your JSON export in to the instructor's collection folder")
    handin.add_argument("--name", help="add your name (left out unless you ask)")
    handin.add_argument("--show", action="store_true", help="also print exactly what was handed in (the JSON)")
    slides = commands.add_parser("slides", help="write the seminar's offline reveal.js slide deck, with speaker notes")
    slides.add_argument("-o", "--out", default="slides",
                        help="folder for index.html (the deck), handout.html and reveal.js (default: slides/)")
    slides.add_argument("--plan", type=int, default=90, metavar="MINUTES",
                        help="which of the guide's plans to follow: 90 or 120 (default: 90)")
    slides.add_argument("--report", metavar="DIR",
                        help="a class report folder (from `seminar report -o DIR`): show the class's results")

    seminar = commands.add_parser("seminar", help="instructor tools: facilitator guide, class report")
    seminar_commands = seminar.add_subparsers(dest="seminar_command", required=True, metavar="TOOL")
    guide = seminar_commands.add_parser("guide", help="write the facilitator guide as Markdown")
    guide.add_argument("-o", "--output", required=True,
                       help="file to write (e.g. facilitator-guide.md), or - for standard output; "
                            "an existing file is kept unless --force")
    guide.add_argument("--force", action="store_true", help="replace the output file if it exists (a regular file only)")
    from course.instructor import hublink, quizexport, quizimport, report

    seminar_commands.add_parser("handins", help="list who handed in to the configured hand-in folder")
    hublink.add_arguments(commands.add_parser(
        "link", help="print the nbgitpuller link that opens the course on a JupyterHub"))

    report.add_arguments(seminar_commands.add_parser(
        "report", help="merge learners' JSON exports into an anonymised class report (HTML + PNG charts)"))
    quizexport.add_arguments(commands.add_parser(
        "quiz-export", help="export the questions for Moodle (GIFT), Canvas (QTI) or jupyterquiz"))
    quizimport.add_arguments(commands.add_parser(
        "quiz-import", help="convert a jupyterquiz JSON bank into this course's item format"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "check":
        from course.material.check import run

        return run(args.directory)
    if args.command == "build-notebooks":
        from course.build.notebooks import main as build_main

        return build_main(args.out, args.units)
    if args.command == "compile-templates":
        return _compile_templates()
    if args.command == "export":
        return _export(args)
    if args.command == "hand-in":
        return _hand_in(args)
    if args.command == "link":
        from course.instructor.hublink import run as link_run

        return link_run(args)
    if args.command == "seminar" and args.seminar_command == "handins":
        return _handins()
    if args.command == "slides":
        return _slides(args)
    if args.command == "seminar" and args.seminar_command == "report":
        from course.instructor.report import run as report_run

        return report_run(args)
    if args.command == "quiz-export":
        from course.instructor.quizexport import run as export_run

        return export_run(args)
    if args.command == "quiz-import":
        from course.instructor.quizimport import run as import_run

        return import_run(args)
    if args.command == "seminar" and args.seminar_command == "guide":
        return _guide(args)
    return 2  # argparse rejects unknown commands before this


def _compile_templates() -> int:
    from course.render.compiled import compile_all
    from course.render.templates import environment

    try:
        count = compile_all(environment())
    except OSError as exc:
        print(f"compile-templates: cannot write the compiled templates: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"compile-templates: {count} templates compiled into course/render/compiled/")
    return 0


def _slides(args) -> int:
    from course.instructor.deck import DeckError, write_deck
    from course.instructor.revealjs import RevealMissing

    try:
        deck = write_deck(Path(args.out), args.plan, Path(args.report) if args.report else None)
    except (DeckError, RevealMissing) as exc:
        print(f"slides: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"slides: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"slides: wrote {deck.deck} ({deck.slides} slides, {deck.plan}, reveal.js {deck.reveal_version}) "
          f"and {deck.handout}")
    return 0


def _write(command: str, make, output: str, force: bool, errors: tuple = (), make_folder: bool = False) -> int:
    """Make a command's output (`make()` returns its bytes) and write it where `-o` points, saying what happened.

    An exception in `errors`, or a refused output path, is the command's message; an OSError while
    making the output is "cannot read", one while writing it "cannot write". `make_folder` creates a
    missing folder for the file first (the learner's export does). A closed standard output
    (`... -o - | head`) is left to `python -m course`, which stops quietly.
    """
    from course.atomic import STANDARD_OUTPUT, OutputRefused, emit

    try:
        data = make()
    except errors as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{command}: cannot read {exc.filename or 'what it needs'}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    try:
        if make_folder and output != STANDARD_OUTPUT:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
        done = emit(output, data, replace=force)
    except OutputRefused as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise
    except OSError as exc:
        print(f"{command}: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if output != STANDARD_OUTPUT:  # on standard output the output goes alone
        print(f"{command}: {'replaced' if done.replaced else 'wrote'} {output}")
    return 0


def _export(args) -> int:
    from course.problems import ContentError
    from course.tools.export import ExportError, render

    def make() -> bytes:
        return render(args.format, name=args.name, include_private=args.include_private).encode("utf-8")

    return _write("export", make, args.output, args.force, (ExportError, ContentError), make_folder=True)


def _guide(args) -> int:
    from course.instructor.seminar import guide_markdown
    from course.problems import ContentError

    return _write("seminar guide", lambda: guide_markdown().encode("utf-8"), args.output, args.force, (ContentError,))


def _hand_in(args) -> int:
    import json

    from course.problems import ContentError
    from course.tools.handin import HandInError, hand_in

    try:
        done = hand_in(name=args.name)
    except (HandInError, ContentError) as exc:
        print(f"hand-in: {exc}", file=sys.stderr)
        return 1
    if args.show:
        print(json.dumps(done.data, ensure_ascii=False, indent=1))
    print("hand-in: " + done.summary().replace("\n", "\nhand-in: "))
    return 0


def _handins() -> int:
    from course.paths import handin_dir
    from course.tools.handin import handin_files

    folder, source = handin_dir()
    if folder is None:
        print(f"handins: no hand-in folder is configured ({source})", file=sys.stderr)
        return 1
    try:
        good, warnings = handin_files(folder)
    except OSError as exc:
        print(f"handins: cannot read {folder} ({exc.strerror}); are you in the instructors' group?", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"handins: {warning}", file=sys.stderr)
    for path in good:
        print(path.stem)
    print(f"handins: {len(good)} hand-in(s) in {folder}; make the report with: "
          f"python -m course seminar report {folder} -o class-report", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
