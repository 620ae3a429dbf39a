"""Learner tools built on items and the journal: the post audit, the policy builder, the invented
example learner for worked examples, and the learner's own export (Markdown, HTML, JSON).

May import: `course.learner`, `course.render`, `course.material` and the shared helpers. Never
the instructor or build layers.
"""
