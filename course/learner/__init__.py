"""What a learner meets in a notebook: items and their widgets, the journal, cell displays, figures.

Modules: `journal` (the answer store), `items/` (the six item types), `widgetkit` (the ipywidgets
they build, with shared layout and style models), `display` (headers, key points, readings,
progress), `figures` (the charts of the readings).

May import: `course.material`, `course.render` and the shared helpers. Never the tools,
instructor or build layers.
"""
