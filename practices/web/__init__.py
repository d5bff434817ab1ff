"""The editors' web console (`practices web`): server-rendered pages over `review` operations.

`app.create_app` builds the Starlette application from an `App`; `server.serve` runs it under
uvicorn as `[web]` says. Pages are Jinja2 templates (`templates/`) with one stylesheet and one
small script (`static/`) that only enhances: every action is a plain form that works without it.
"""
