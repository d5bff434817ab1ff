"""The console as an ASGI application: its routes, its static files and its security headers.

/                         -> /drafts
/login, /logout           logging in and out (practices.web.auth)
/drafts                   the queue (filters, search, pages)
/drafts/{id}              a draft; POST .../edit, theme, flags/{f}/dismiss, photos/main,
                          photos/{p}/text, approve, reject, reopen change it
/drafts/{id}/preview      the practice as the website will show it (the export's own page,
                          with the site's stylesheet from /preview/site.css)
/drafts/{id}/photos/{p}/{web|thumbnail}, /drafts/{id}/attachments/{n}   files
/newsletters              the editions; POST creates one
/newsletters/{month}      an edition; POST .../add, remove, move, intro change it;
                          .../download/{eml|html|txt} renders the message
/static/...               the stylesheet and the script
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from practices.web import actions, auth, newsletter_pages, pages
from practices.web.context import Console
from practices.web.security import SecurityHeaders
from store.app import App

STATIC = Path(__file__).with_name("static")


def routes() -> list[Route | Mount]:
    """Every route of the console."""
    draft = "/drafts/{draft_id:int}"
    return [
        Route("/", pages.home),
        Route("/login", auth.login_form, methods=["GET"]),
        Route("/login", auth.login, methods=["POST"]),
        Route("/logout", auth.logout, methods=["POST"]),
        Route("/drafts", pages.queue),
        Route(draft, pages.draft),
        Route(f"{draft}/preview", pages.preview),
        Route(f"{draft}/preview/page", pages.preview_frame),
        Route(pages.SITE_STYLESHEET, pages.site_stylesheet_file),
        Route(f"{draft}/photos/{{photo_id:int}}/{{kind:str}}", pages.photo_file),
        Route(f"{draft}/attachments/{{number:int}}", actions.download_attachment),
        Route(f"{draft}/edit", actions.save, methods=["POST"]),
        Route(f"{draft}/theme", actions.confirm_theme, methods=["POST"]),
        Route(f"{draft}/flags/{{flag_id:int}}/dismiss", actions.dismiss, methods=["POST"]),
        Route(f"{draft}/photos/main", actions.main_photo, methods=["POST"]),
        Route(f"{draft}/photos/{{photo_id:int}}/text", actions.photo_text, methods=["POST"]),
        Route(f"{draft}/approve", actions.approve, methods=["POST"]),
        Route(f"{draft}/reject", actions.reject, methods=["POST"]),
        Route(f"{draft}/reopen", actions.reopen, methods=["POST"]),
        *newsletter_routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def newsletter_routes() -> list[Route]:
    """The newsletter's pages (practices.web.newsletter_pages)."""
    edition = "/newsletters/{month:str}"
    views = newsletter_pages
    return [
        Route("/newsletters", views.list_page),
        Route("/newsletters", views.create, methods=["POST"]),
        Route(edition, views.edition_page),
        Route(f"{edition}/add", views.add, methods=["POST"]),
        Route(f"{edition}/remove", views.remove, methods=["POST"]),
        Route(f"{edition}/move", views.move, methods=["POST"]),
        Route(f"{edition}/intro", views.intro, methods=["POST"]),
        Route(f"{edition}/download/{{kind:str}}", views.download),
    ]


def create_app(app: App) -> Starlette:
    """The console over `app` (its settings, database and files)."""
    console = Starlette(routes=routes(), middleware=[Middleware(SecurityHeaders)])
    console.state.console = Console(app)
    return console
