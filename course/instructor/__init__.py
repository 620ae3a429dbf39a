"""What an instructor uses: the facilitator guide and slides, the class report from learners'
JSON exports, and quiz interchange with other tools (QTI export, jupyterquiz import).

May import: `course.tools` (the export format), `course.learner` (the journal's file helpers),
`course.render`, `course.material` and the shared helpers. Never `course.build`.
"""
