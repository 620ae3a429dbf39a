"""The course material: what readings/ holds, as checked, frozen data.

Modules: `model` (the frozen dataclasses), `sourcefile` (UTF-8 and YAML reading with line numbers),
`schema` (validation against the JSON Schemas in `course/schemas/`, shared with exports), `digest` (reading
digests), `unitsource` (notebook sources), `catalog` (loading and cross-checks), `api` (the loaded
course, cached), `check` (`python -m course check`).

May import: the shared helpers at the top of `course` (paths, problems, atomic, cache, version)
and third-party parsers. Never the layers above it: material knows nothing of rendering, widgets,
journals or instructors.
"""
